"""A worker's one-time work happens before its first request (collector.warm): the console's
templates compiled, the theme lexicons and jieba's dictionary loaded; gunicorn's
``post_worker_init`` hook, ``cxlisten serve`` and the demo call it."""

from __future__ import annotations

from types import SimpleNamespace

from collector import create_app, gunicorn_conf
from cxlisten import themes_phrases


def test_a_warmed_worker_has_compiled_every_console_template_and_loaded_the_lexicons(tmp_path):
    app = create_app({"db": str(tmp_path / "cx.db"), "secret": "s"})
    themes_phrases._zh_lexicon.cache_clear()
    themes_phrases._en_lexicon.cache_clear()
    compiled = []
    load = app.jinja_env.loader.load
    app.jinja_env.loader.load = lambda env, name, g=None: (
        compiled.append(name) or load(env, name, g)
    )
    gunicorn_conf.post_worker_init(SimpleNamespace(wsgi=app))
    assert themes_phrases._zh_lexicon.cache_info().currsize == 1
    assert themes_phrases._en_lexicon.cache_info().currsize == 1
    names = [n for n in app.jinja_env.list_templates() if n.startswith("console/")]
    assert len(names) > 20 and set(names) <= set(compiled)
    compiled.clear()
    with app.test_client() as client:  # the first page now compiles nothing
        assert client.get("/console/sign-in").status_code == 200
    assert compiled == []
