"""Settings: declared once, read from env / instance file / overrides, all documented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxlisten.errors import InvalidInput
from cxlisten.settings import SETTINGS, load_settings

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_defaults_apply_without_environment():
    settings = load_settings(environ={})
    assert settings.max_body_bytes == 65536 and settings.session_idle_minutes == 30


def test_environment_instance_file_and_overrides_in_that_order(tmp_path):
    instance = tmp_path / "cxlisten.json"
    instance.write_text(json.dumps({"max_batch_events": 50, "rejected_keep": 7}))
    env = {"CXLISTEN_CONFIG": str(instance), "CXLISTEN_MAX_BATCH_EVENTS": "20"}
    settings = load_settings({"rejected_keep": 9}, environ=env)
    assert settings.max_batch_events == 20  # env beats the instance file
    assert settings.rejected_keep == 9  # overrides beat everything


@pytest.mark.parametrize(
    "env, named",
    [
        ({"CXLISTEN_MAX_BODY_BYTES": "lots"}, "CXLISTEN_MAX_BODY_BYTES"),
        ({"CXLISTEN_SYNCHRONOUS": "OFF"}, "CXLISTEN_SYNCHRONOUS"),
        ({"CXLISTEN_TRUST_DNT": "maybe"}, "CXLISTEN_TRUST_DNT"),
    ],
)
def test_invalid_values_are_named(env, named):
    with pytest.raises(InvalidInput) as exc:
        load_settings(environ=env)
    assert named in exc.value.fields


def test_unknown_instance_setting_is_an_error(tmp_path):
    instance = tmp_path / "c.json"
    instance.write_text('{"max_bodybytes": 1}')
    with pytest.raises(InvalidInput, match="max_bodybytes"):
        load_settings(environ={"CXLISTEN_CONFIG": str(instance)})


@pytest.mark.parametrize("setting", SETTINGS, ids=[s.name for s in SETTINGS])
def test_every_setting_is_documented(setting):
    text = (DOCS / "settings.md").read_text()
    assert f"`{setting.env}`" in text and f"`{setting.name}`" in text
