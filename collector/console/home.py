"""The console's home: a site at a glance for a window (today, 7 days, 30 days, custom), and the
events arriving now as a fragment the page refreshes without reloading."""

from __future__ import annotations

from flask import g, request

from collector.browser import deployment
from collector.console import bp, current_site, render
from collector.console import session as console_session
from collector.console.session import COOKIE
from cxlisten import site_overview
from cxlisten.console_cache import FRESH_SECONDS
from cxlisten.errors import InvalidInput
from cxlisten.storage import console_queries

LIVE_SECONDS = 5  # how often the page asks for the newest events


def now_ms() -> int:
    """Return the console's time in ms (its session clock, which a test can set)."""
    return int(console_session.clock() * 1000)


def chosen_window() -> tuple[site_overview.Window, dict]:
    """Return the window the query string asks for (7 days when it asks for none) and errors."""
    args = request.args
    try:
        return site_overview.window(
            args.get("window"), args.get("from"), args.get("to"), now_ms()
        ), {}
    except InvalidInput as exc:  # shown next to the fields; the page shows 7 days meanwhile
        return site_overview.window("7d", None, None, now_ms()), exc.fields


@bp.get("/home")
def home():
    """Visitors, sessions, surveys, score trends and the three most problematic journeys."""
    w, errors = chosen_window()
    found = site_overview.cached_overview(deployment().db, current_site(), w)
    return render(
        "home.html",
        400 if errors else 200,
        o=found.value,
        computed_at=found.computed_at,
        errors=errors,
        wanted=request.args,
        choices=site_overview.CHOICES,
        live_seconds=LIVE_SECONDS,
        events=console_queries.newest_events(deployment().db, current_site().id),
    )


class _Untouched:
    """Sessions that write back the cookie as it came: polling is not activity."""

    def __init__(self, cookie: str | None):
        self.cookie = cookie

    def dump(self, session) -> str:
        return self.cookie or ""


@bp.get("/home/live")
def home_live():
    """The newest events of the site, as the fragment the home page swaps in.

    The page asks every few seconds on its own, so this request does not count as the person's
    activity: the session's idle clock is left as it was (an open tab does not keep a session
    alive forever), and once it has expired the page follows the redirect to sign-in.
    """
    g.console_sessions = _Untouched(request.cookies.get(COOKIE))
    events = console_queries.newest_events(deployment().db, current_site().id)
    return render("_live.html", events=events)


@bp.app_template_filter("console_time_s")
def _console_time_s(seconds: int) -> str:
    import time

    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds))


@bp.context_processor
def _fresh_seconds():
    return {"fresh_seconds": FRESH_SECONDS}
