"""Sessionisation and the per-session summary kept current as events arrive.

A session is a visitor's run of events with no gap longer than ``session_idle_minutes`` (30 by
default), ordered by the client's timestamps. Its id is 32 hex digits, time-ordered (milliseconds,
then 80 random bits), made when its first event is stored. The summary row holds the journey
(``steps``: page paths in order), visible dwell and deepest scroll per step, custom event names,
the frustration signals (``cxlisten.signals``: rage and dead clicks, abandoned form fields) and
survey/intervention counters, so reports never rescan raw events.
"""

from __future__ import annotations

from cxlisten import bots, signals
from cxlisten.identity import time_ordered_id

MAX_STEPS = 200  # a session longer than this keeps counting but stops growing its step list
MAX_CUSTOM = 100

_COUNTERS = {
    ("survey", "shown"): "surveys_shown",
    ("survey", "answered"): "surveys_answered",
    ("survey", "dismissed"): "surveys_dismissed",
    ("intervention", "shown"): "interventions_shown",
    ("intervention", "clicked"): "interventions_clicked",
}


def new_session(site_id: int, visitor_id: str, ts: int, device, returning: bool) -> dict:
    """Return an empty summary for a session starting at TS."""
    return {
        "id": time_ordered_id(),
        "site_id": site_id,
        "visitor_id": visitor_id,
        "started": ts,
        "last_ts": ts,
        "pageviews": 0,
        "events": 0,
        "steps": [],
        "dwell": [],
        "custom": [],
        "max_scroll": 0,
        "scroll": [],
        "rage_clicks": 0,
        "dead_clicks": 0,
        "abandoned_fields": 0,
        "signals": [],
        "click_run": [],
        "speed": [],
        "surveys_shown": 0,
        "surveys_answered": 0,
        "surveys_dismissed": 0,
        "interventions_shown": 0,
        "interventions_clicked": 0,
        "entry": None,
        "exit": None,
        "device": device.kind,
        "browser": device.browser,
        "os": device.os,
        "is_bot": int(device.is_bot),
        "is_returning": int(returning),
    }


def belongs(session: dict, ts: int, idle_ms: int) -> bool:
    """Return whether an event at TS continues SESSION."""
    return session["started"] - idle_ms <= ts <= session["last_ts"] + idle_ms


def apply_event(session: dict, event: dict) -> None:
    """Fold one stored event into its session's summary."""
    kind = event["kind"]
    session["events"] += 1
    session["started"] = min(session["started"], event["ts"])
    session["last_ts"] = max(session["last_ts"], event["ts"])
    if kind == "pageview":
        session["pageviews"] += 1
        if len(session["steps"]) < MAX_STEPS:
            session["steps"].append(event["path"])
            session["dwell"].append(0)
            # (a summary stored before m0013 has no per-step scroll yet: pad it into line)
            per_step = session["scroll"]
            per_step += [0] * (len(session["steps"]) - len(per_step))
        session["entry"] = session["entry"] or event["path"]
        session["exit"] = event["path"]
    elif kind == "dwell":
        scroll = event.get("scroll", 0)
        session["max_scroll"] = max(session["max_scroll"], scroll)
        steps = session["steps"]
        for i in range(len(steps) - 1, -1, -1):
            if steps[i] == event["path"]:
                session["dwell"][i] += event["value"]
                if i < len(session["scroll"]):
                    session["scroll"][i] = max(session["scroll"][i], scroll)
                if event.get("vitals"):  # cumulative: the page view's latest dwell has it all
                    speed = session["speed"]
                    speed += [None] * (i + 1 - len(speed))
                    speed[i] = event["vitals"]
                break
        if bots.no_input(session, event):  # a long visit with no input: a crawler
            session["is_bot"] = 1
    elif kind == "click":
        signals.fold_click(session, event["path"], event["ts"], event.get("click") or {})
    elif kind == "custom":
        if len(session["custom"]) < MAX_CUSTOM:
            session["custom"].append(event["name"])
    counter = _COUNTERS.get((kind, event.get("action")))
    if counter:
        session[counter] += 1
