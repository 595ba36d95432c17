"""What a collector's worker does once, before its first request, so that no visitor of the
console pays for it: compile the console's templates (Jinja compiles each on its first render,
about 100 ms for the results page's) and load the theme lexicons and jieba's dictionary (about
half a second, on the first open answers themed). gunicorn calls it from ``post_worker_init``
(``collector.gunicorn_conf``), ``cxlisten serve`` and ``cxlisten demo`` before they listen."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from cxlisten import themes_phrases

__all__ = ["Warmed", "compile_templates", "warm_up"]


@dataclass(frozen=True)
class Warmed:
    templates: int  # console templates compiled


def compile_templates(app: Flask) -> int:
    """Compile every console template of APP once; return how many."""
    names = [n for n in app.jinja_env.list_templates() if n.startswith("console/")]
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)


def warm_up(app: Flask) -> Warmed:
    """Do APP's one-time work of a first visit now."""
    themes_phrases.load()
    return Warmed(templates=compile_templates(app))
