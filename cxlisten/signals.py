"""Frustration signals: rage clicks, dead clicks and abandoned form fields, per session.

The snippet sends a ``click`` event for every click on a link or button. **Rage clicks** are
derived here, on the server, from those events' timestamps: ``RAGE_CLICKS`` (3) or more clicks on
the same element (``target``) of the same page within ``RAGE_WINDOW_MS`` (1 s) make one rage
burst, counted once however long it goes on. What only the browser can see arrives as a click
event with a ``signal`` field (sdk_js/src/signals.js):

* ``dead``: a click after which, for a second, nothing changed: no navigation, no change of the
  page (a MutationObserver saw no mutation);
* ``abandoned``: a form field that was focused and typed in, then the page was left without its
  form being submitted. Only the field's descriptor is sent, never its value.

Each signal is kept in the session summary as ``[kind, path, target, text]`` (at most
``MAX_SIGNALS``; the counters go on counting past it).
"""

from __future__ import annotations

__all__ = [
    "KINDS",
    "MAX_SIGNALS",
    "RAGE_CLICKS",
    "RAGE_WINDOW_MS",
    "fold_click",
]

RAGE_CLICKS = 3
RAGE_WINDOW_MS = 1000
MAX_SIGNALS = 50
# Signal kind -> the session summary's counter.
KINDS = {"rage": "rage_clicks", "dead": "dead_clicks", "abandoned": "abandoned_fields"}


def _record(session: dict, kind: str, path: str, target: str | None, text: str | None) -> None:
    session[KINDS[kind]] += 1
    if len(session["signals"]) < MAX_SIGNALS:
        session["signals"].append([kind, path, target or "", text or ""])


def fold_click(session: dict, path: str, ts: int, click: dict) -> None:
    """Fold one click event (its ``target``, ``text`` and ``signal``) into SESSION's signals."""
    target, text, signal = click.get("target"), click.get("text"), click.get("signal")
    if signal in KINDS and signal != "rage":
        _record(session, signal, path, target, text)
        return
    # click_run: [path, target, timestamps within the window, already counted as rage]
    run = session["click_run"]
    if run and run[0] == path and run[1] == target and 0 <= ts - run[2][-1] <= RAGE_WINDOW_MS:
        times = [t for t in run[2] if ts - t <= RAGE_WINDOW_MS] + [ts]
        counted = run[3]
    else:
        times, counted = [ts], False
    if len(times) >= RAGE_CLICKS and not counted:
        _record(session, "rage", path, target, text)
        counted = True
    session["click_run"] = [path, target, times[-RAGE_CLICKS:], counted]
