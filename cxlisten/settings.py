"""Every deployment setting, declared once: name, default and help.

Values come, later winning, from the defaults here, an instance file named by
``CXLISTEN_CONFIG`` (JSON object of setting names), the environment (``CXLISTEN_<NAME>``), and
finally the mapping passed to ``load_settings`` (the collector's ``create_app(config)``).
``docs/settings.md`` documents each one; a test keeps the two in step.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cxlisten.errors import InvalidInput


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected true or false, got {value!r}")


def _synchronous(value: Any) -> str:
    text = str(value).strip().upper()
    if text not in {"FULL", "NORMAL"}:
        raise ValueError("expected FULL or NORMAL")
    return text


def _origins(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    origins = tuple(str(o).strip().rstrip("/") for o in items if str(o).strip())
    for origin in origins:
        if not origin.startswith(("http://", "https://")) or "/" in origin.split("://", 1)[1]:
            raise ValueError(f"expected origins such as https://help.example.com, got {origin!r}")
    return origins


def _positive_int(value: Any) -> int:
    number = int(value)
    if number < 1:
        raise ValueError("expected a whole number of at least 1")
    return number


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    parse: Callable[[Any], Any]
    help: str
    # Other environment variables read for it, winning over ``env`` (DESIGN.md's public names).
    aliases: tuple[str, ...] = ()

    @property
    def env(self) -> str:
        return f"CXLISTEN_{self.name.upper()}"


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "db",
        "cxlisten.db",
        str,
        "The database: a path is a SQLite file; `postgresql://user:password@host/name` is "
        "PostgreSQL (several collectors on one database, docs/scaling.md). Also read from "
        "`CXLISTEN_DATABASE_URL`, which wins over `CXLISTEN_DB`.",
        aliases=("CXLISTEN_DATABASE_URL",),
    ),
    Setting(
        "pool_size",
        5,
        _positive_int,
        "PostgreSQL only: most connections each collector process keeps open to the database "
        "(one per request being served at once; a request waits up to 30 s for a free one, "
        "then gets 503). Size it as gunicorn threads per worker, plus one for webhooks.",
    ),
    Setting(
        "secret",
        "",
        str,
        "Secret that signs visitor tokens and share links. Empty: a random secret is made once "
        "and kept in the database, so every worker and restart shares it.",
    ),
    Setting(
        "synchronous",
        "FULL",
        _synchronous,
        "SQLite `synchronous` in WAL mode. FULL: an acknowledged event survives a process crash "
        "and a power loss. NORMAL: survives a process crash; a power loss may lose the last "
        "acknowledged commits.",
    ),
    Setting(
        "checkpoint_seconds",
        0.0,
        float,
        "0: SQLite checkpoints the WAL inside whichever commit crosses 1000 WAL pages (the "
        "faster choice on local disks, see bench/README.md). Above 0: seconds between "
        "checkpoints run by a background thread of each collector process instead.",
    ),
    Setting("max_body_bytes", 65536, int, "Largest request body accepted; larger gets 413."),
    Setting("max_batch_events", 100, int, "Most events in one `/v1/collect` batch."),
    Setting("session_idle_minutes", 30, int, "Minutes without events after which a session ends."),
    Setting(
        "future_skew_seconds",
        3600,
        int,
        "How far in the future (by the server's clock) an event timestamp may be.",
    ),
    Setting(
        "max_event_age_days",
        30,
        int,
        "Oldest event timestamp accepted, in days; older queued events are rejected.",
    ),
    Setting("rejected_keep", 10000, int, "Rows kept in the rejected-payload quarantine table."),
    Setting(
        "rejected_payload_bytes",
        4096,
        int,
        "Bytes of a rejected payload kept for diagnosis; the rest is cut.",
    ),
    Setting(
        "trust_dnt",
        True,
        _bool,
        "Honour `DNT: 1` and `Sec-GPC: 1` for sites that honour them (the default per site).",
    ),
    Setting(
        "contact_sessions",
        1,
        int,
        "Contact budget: most surveys shown to one visitor in one session.",
    ),
    Setting(
        "contact_days",
        14,
        int,
        "Contact budget: days after a survey is shown before the visitor may see another.",
    ),
    Setting(
        "share_link_hours",
        24,
        int,
        "Hours an export share link stays valid.",
    ),
    Setting(
        "console_idle_minutes",
        30,
        int,
        "Minutes without a request after which a console session ends and asks to sign in again.",
    ),
    Setting(
        "webhook_timeout_seconds",
        5,
        float,
        "Seconds a webhook receiver has, in all, to accept the connection and answer; a slower "
        "one counts as a failed attempt and the delivery is retried.",
    ),
    Setting(
        "webhook_allow_private",
        False,
        _bool,
        "Allow webhook URLs that resolve to loopback, private, link-local or metadata addresses "
        "(127.0.0.1, 10.x, 169.254.169.254, ...). Off: such deliveries are refused and logged, "
        "checked after DNS and again on the connected socket. Turn on only for receivers on "
        "your own network (the demo and tests do).",
    ),
    Setting(
        "link_origins",
        (),
        _origins,
        "Origins, besides each site's own, that survey and intervention links may point to, "
        "comma-separated (`https://help.example.com,https://*.example.org`). Paths (`/help`) "
        "always stay on the page's own origin.",
    ),
    Setting(
        "max_session_events",
        10000,
        int,
        "Most events stored per session; later events of that session are refused (400, "
        "located, quarantined).",
    ),
    Setting(
        "max_visitor_sessions_per_day",
        50,
        int,
        "Most sessions one visitor may start in 24 hours; events that would start another are "
        "refused (400, located, quarantined).",
    ),
    Setting(
        "max_custom_names",
        500,
        int,
        "Most distinct `cxlisten.track` event names per site; events with a new name past it "
        "are refused (400, located, quarantined). Known names keep being stored.",
    ),
    Setting(
        "rate_client_per_minute",
        600,
        int,
        "Browser writes (every `POST`/`DELETE` under `/v1/`, and a personal survey link's page) "
        "per client address and minute, with bursts of a quarter of it; more gets 429 with "
        "`Retry-After`. Counted per collector process, by a keyed hash of the address (never "
        "stored). 0: off.",
    ),
    Setting(
        "rate_site_per_minute",
        60000,
        int,
        "Browser writes per site and minute (event batches, survey answers, identify, reset), "
        "with bursts of a quarter of it; more gets 429 with `Retry-After`. Counted per "
        "collector process. 0: off.",
    ),
    Setting(
        "new_visitors_per_client_per_minute",
        120,
        int,
        "New visitors (a batch, an answer, an identify or a reset without a genuine token, a "
        "personal survey link opened) per client address and minute, with bursts of a quarter "
        "of it; more gets 429 with `Retry-After`. 0: off.",
    ),
    Setting(
        "proxy_hops",
        0,
        int,
        "Reverse proxies in front of the collector whose `X-Forwarded-For` is trusted for the "
        "client address (1 behind the nginx of examples/deploy). 0: the socket's address.",
    ),
    Setting(
        "disk_reserve_mb",
        100,
        int,
        "Free space (MB) kept on the database's disk: below it every write is refused with 503 "
        "and `Retry-After` while reads go on; writes resume by themselves once space returns.",
    ),
    Setting(
        "write_wait_seconds",
        5.0,
        float,
        "Longest a write waits for the database's write lock held by someone else (a backup, an "
        "analyst's write) before it answers 503 with `Retry-After`. Reads never wait for it. "
        "On PostgreSQL it is each connection's `lock_timeout`.",
    ),
    Setting(
        "check_integrity",
        True,
        _bool,
        "Run `PRAGMA quick_check` when a collector process starts; `/healthz` reports what it "
        "found (503 with the problems). Turn off only for databases too large to scan at start.",
    ),
    Setting(
        "public_url",
        "",
        str,
        "The collector's address as people reach it (`https://cx.example.com`): the base of "
        "hosted survey links and their QR codes (`cxlisten surveys link`; `--url` overrides).",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


class Settings(dict):
    """Resolved settings; read as ``settings["db"]`` or ``settings.db``."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def load_settings(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Resolve every setting from defaults, instance file, environment and overrides."""
    environ = os.environ if environ is None else environ
    raw: dict[str, Any] = {s.name: s.default for s in SETTINGS}
    instance = environ.get("CXLISTEN_CONFIG")
    if instance:
        raw.update(_read_instance_file(instance))
    for s in SETTINGS:
        for env in (s.env, *s.aliases):
            if env in environ:
                raw[s.name] = environ[env]
    for key, value in (overrides or {}).items():
        name = key.lower().removeprefix("cxlisten_")
        if name in _BY_NAME:
            raw[name] = value
    errors: dict[str, list[str]] = {}
    settings = Settings()
    for name, value in raw.items():
        try:
            settings[name] = _BY_NAME[name].parse(value)
        except (TypeError, ValueError) as exc:
            errors[_BY_NAME[name].env] = [str(exc)]
    if errors:
        raise InvalidInput("invalid settings", errors)
    return settings


def _read_instance_file(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"cannot read instance file {path}: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"instance file {path} must hold a JSON object")
    unknown = sorted(set(data) - set(_BY_NAME))
    if unknown:
        raise InvalidInput(f"unknown settings in {path}: {', '.join(unknown)}")
    return data
