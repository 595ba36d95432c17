"""A survey's trigger, audience and repetition in words, in a catalogue locale.

    trigger_words({"type": "dwell", "seconds": 45, "urls": ["/help/*"]}, "en")
    -> "after 45 s on /help/*"

The console shows these beside every survey and under every builder section as it is edited;
they read the normalised definition, so they say what the engine will do.
"""

from __future__ import annotations

from cxlisten.phrasebook import phrase
from cxlisten.schemas.surveys import FRUSTRATION_SIGNALS
from cxlisten.vitals import THRESHOLDS, say

__all__ = ["audience_words", "repetition_words", "trigger_words"]


def _join(locale: str, items: list[str], joiner: str = "list.or") -> str:
    return phrase(locale, joiner).join(items)


def _pages(locale: str, urls: list[str]) -> str:
    if not urls:
        return phrase(locale, "pages.any")
    return phrase(locale, "pages.list", patterns=_join(locale, list(urls)))


def trigger_words(trigger: dict, locale: str) -> str:
    """Return when a survey with TRIGGER appears, e.g. "after 45 s on /help/*"."""
    kind = trigger.get("type", "pageview")
    pages = _pages(locale, trigger.get("urls") or [])
    seconds = trigger.get("seconds", "?")
    if kind == "dwell" and trigger.get("after"):
        after = _pages(locale, trigger["after"])
        return phrase(locale, "trigger.dwell_after", seconds=seconds, pages=pages, after=after)
    if kind == "dwell":
        return phrase(locale, "trigger.dwell", seconds=seconds, pages=pages)
    if kind == "visit":
        visit, days = trigger.get("visit", "?"), trigger.get("days")
        key = "trigger.visit_days" if days else "trigger.visit"  # else: in the session
        return phrase(locale, key, visit=visit, days=days, pages=pages)
    if kind == "frustration" and trigger.get("signal") in FRUSTRATION_SIGNALS:
        return phrase(locale, f"trigger.frustration.{trigger['signal']}", pages=pages)
    if kind == "slow_page" and trigger.get("metric") in THRESHOLDS:
        metric, over = trigger["metric"], trigger.get("over", 0)
        return phrase(
            locale, "trigger.slow_page", metric=metric.upper(), over=say(metric, over), pages=pages
        )
    if kind == "event":
        return phrase(locale, "trigger.event", event=trigger.get("event", "?"), pages=pages)
    if kind == "journey":
        steps = " → ".join(trigger.get("steps") or [])
        return phrase(locale, "trigger.journey", steps=steps, pages=pages)
    if kind == "exit_intent":
        return phrase(locale, "trigger.exit_intent", pages=pages)
    if kind == "scroll":
        return phrase(locale, "trigger.scroll", percent=trigger.get("percent", "?"), pages=pages)
    return phrase(locale, "trigger.pageview", pages=pages)


def _percent(value: float) -> str:
    return f"{value:g}"


def audience_words(definition: dict, locale: str) -> str:
    """Return to whom a survey is shown, e.g. "50% of visitors, on phone, new visitors only"."""
    audience = definition.get("audience") or {}
    parts: list[str] = []
    sample = audience.get("sample", 100)
    parts.append(
        phrase(locale, "audience.sample", percent=_percent(sample))
        if sample < 100
        else phrase(locale, "audience.everyone")
    )
    devices = audience.get("devices") or []
    if devices:
        names = [phrase(locale, f"device.{d}") for d in devices]
        parts.append(phrase(locale, "audience.devices", devices=_join(locale, names)))
    visitors = audience.get("visitors", "all")
    if visitors in ("new", "returning"):
        parts.append(phrase(locale, f"audience.{visitors}"))
    attributes = audience.get("attributes") or {}
    if attributes.get("has"):
        names = _join(locale, attributes["has"], "list.and")
        parts.append(phrase(locale, "audience.has", names=names))
    if attributes.get("lacks"):
        names = _join(locale, attributes["lacks"], "list.and")
        parts.append(phrase(locale, "audience.lacks", names=names))
    for name, value in (attributes.get("equals") or {}).items():
        parts.append(phrase(locale, "audience.equals", name=name, value=value))
    if definition.get("journey") and definition.get("phase"):
        parts.append(
            phrase(
                locale,
                "audience.phase",
                journey=definition["journey"],
                phase=phrase(locale, f"phase.{definition['phase']}"),
            )
        )
    if audience.get("quota"):
        parts.append(phrase(locale, "audience.quota", quota=audience["quota"]))
    return phrase(locale, "list.and").join(parts)


def repetition_words(repetition: dict, locale: str) -> str:
    """Return how often one visitor is asked, e.g. "asked until answered, again after 30 days"."""
    mode = repetition.get("mode", "once")
    text = (
        phrase(locale, "repeat.times", times=repetition.get("times", "?"))
        if mode == "times"
        else phrase(locale, f"repeat.{mode}")
    )
    if repetition.get("recontact_days"):
        text += phrase(locale, "repeat.recontact", days=repetition["recontact_days"])
    return text
