"""examples/three_phases.py runs the three phases end to end on simulated data."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).parents[2] / "examples" / "three_phases.py"


def test_three_phases_script_runs_each_phase(shop_file, tmp_path, capsys, monkeypatch):
    import shutil
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # plans are written under tmp_path
    db = tmp_path / "shop.db"
    shutil.copy(shop_file[0], db)
    spec = importlib.util.spec_from_file_location("three_phases", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main([str(db)])
    out = capsys.readouterr().out
    assert "1. TRACK & DIAGNOSE" in out and "problem" in out
    assert "2. DEEP-DIVE" in out and "Shipping cost" in out
    assert "3. ACTIVATE" in out and "checkout-assist" in out
    chat = out.split("checkout-chat: ")[1].splitlines()[0]
    banner = out.split("shipping-banner: ")[1].splitlines()[0]
    assert chat.endswith(": helps") and banner.endswith(": no evidence")
