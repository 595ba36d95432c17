"""An activation rule's condition and action in words, in a catalogue locale.

    condition_words({"score": "ces", "max": 2}, "en") -> "their latest CES score is at most 2"

The console shows these beside every rule; they read the validated rule, so they say what
``cxlisten.activate.evaluate`` will test and do.
"""

from __future__ import annotations

from cxlisten.phrasebook import phrase

__all__ = ["action_words", "condition_words", "when_words"]


def _list(locale: str, items, joiner: str = "list.or") -> str:
    return phrase(locale, joiner).join(str(i) for i in items)


def _text(texts: dict, locale: str) -> str:
    return texts.get(locale) or texts.get("en") or next(iter(texts.values()), "")


def _matcher(cond: dict, locale: str) -> str:
    if "equals" in cond:
        return phrase(locale, "rw.equals", value=cond["equals"])
    if "in" in cond:
        return phrase(locale, "rw.in", values=_list(locale, cond["in"]))
    if cond.get("exists") is False:
        return phrase(locale, "rw.absent")
    parts = []
    if "min" in cond:
        parts.append(phrase(locale, "rw.min", value=cond["min"]))
    if "max" in cond:
        parts.append(phrase(locale, "rw.max", value=cond["max"]))
    return _list(locale, parts, "list.and") if parts else phrase(locale, "rw.exists")


def condition_words(cond: dict, locale: str) -> str:
    """Return one condition of a rule's ``when`` in words."""
    if "attribute" in cond:
        return phrase(locale, "rw.attribute", name=cond["attribute"], test=_matcher(cond, locale))
    if "answer" in cond:
        a = cond["answer"]
        return phrase(
            locale,
            "rw.answer",
            survey=a["survey"],
            question=a["question"],
            test=_matcher(cond, locale),
        )
    if "score" in cond:
        return phrase(locale, "rw.score", kind=cond["score"].upper(), test=_matcher(cond, locale))
    if "journey" in cond:
        state = phrase(locale, f"rw.state.{cond.get('state', 'entered')}")
        words = phrase(locale, "rw.journey", journey=cond["journey"], state=state)
        if cond.get("step"):
            words += phrase(locale, "rw.step", step=cond["step"])
        return words
    if "segment" in cond:
        seg = cond["segment"]
        parts = []
        if seg.get("device"):
            devices = [phrase(locale, f"device.{d}") for d in seg["device"]]
            parts.append(phrase(locale, "audience.devices", devices=_list(locale, devices)))
        if seg.get("visitor"):
            parts.append(phrase(locale, f"audience.{seg['visitor']}"))
        return _list(locale, parts, "list.and") or phrase(locale, "audience.everyone")
    if "page" in cond:
        return phrase(locale, "rw.page", pages=_list(locale, cond["page"]))
    return str(cond)


def when_words(when, locale: str) -> str:
    """Return every condition of a rule, joined ("always" for none)."""
    if not when:
        return phrase(locale, "rw.always")
    return phrase(locale, "rw.and").join(condition_words(c, locale) for c in when)


def _show(show: dict, locale: str) -> str:
    kind = phrase(locale, f"rw.kind.{show.get('kind', 'content')}")
    channel = f" ({show['channel']})" if show.get("channel") else ""
    words = phrase(locale, "rw.show", kind=kind + channel, title=_text(show["title"], locale))
    if show.get("url"):
        words += phrase(locale, "rw.link", url=show["url"])
    if show.get("placement"):
        words += _placement(show["placement"], locale)
    return words


def _placement(placement: str, locale: str) -> str:
    """Where the snippet shows an action: a corner, the centre, or a slot of the page."""
    if placement.startswith("slot:"):
        return phrase(locale, "rw.placement.slot", slot=placement[len("slot:") :])
    return phrase(locale, "rw.placement", where=phrase(locale, f"placement.{placement}"))


def action_words(then: dict, locale: str) -> list[str]:
    """Return what a rule's ``then`` does, one phrase per effect."""
    out = []
    if "show" in then:
        out.append(_show(then["show"], locale))
    if "from_answer" in then:
        spec = then["from_answer"]
        paths = [f"{code} → {_show(show, locale)}" for code, show in spec["map"].items()]
        out.append(
            phrase(
                locale,
                "rw.from_answer",
                survey=spec["survey"],
                question=spec["question"],
                paths=phrase(locale, "list.and").join(paths),
            )
        )
    if "choose" in then:
        shows = [_show(s, locale) for s in then["choose"]]
        out.append(phrase(locale, "rw.choose", options=phrase(locale, "list.or").join(shows)))
    for name, value in then.get("set", {}).items():
        out.append(phrase(locale, "rw.set", name=name, value=value))
    if "webhook" in then:
        out.append(phrase(locale, "rw.webhook", event=then["webhook"]))
    return out
