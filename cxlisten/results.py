"""Turn the library's typed results into JSON-ready values, in one place.

The phases return frozen dataclasses (``cxlisten.diagnose.Diagnosis``, ``ProblemScore``, ...);
the edges that speak JSON (the CLI's ``--json``, the admin API, webhook payloads, exports) call
``to_json`` on them, so a key is the field's name and keys come in the fields' order.

A sentence the library words for people (a journey's evidence, a survey's "why not") is a
``Message``: a catalogue key and its fields (``cxlisten.phrasebook``), which reads as its
English text wherever a string is wanted (the CLI, JSON) and says itself in another locale
with ``say`` (the console).
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass

__all__ = ["Message", "to_json"]


class Message(str):
    """A sentence as a catalogue KEY and its FIELDS; as a string, its English text.

    A field may itself be a Message (an element's name inside a sentence), or a tuple of them
    (joined by "; "): ``say`` words them in the same locale.
    """

    key: str
    fields: dict

    def __new__(cls, key: str, **fields: object) -> Message:
        from cxlisten.phrasebook import phrase

        english = {k: "; ".join(v) if isinstance(v, tuple) else v for k, v in fields.items()}
        text = super().__new__(cls, phrase("en", key, **english))
        text.key, text.fields = key, fields
        return text

    def say(self, locale: str) -> str:
        """Return the sentence in LOCALE (English where the catalogue lacks it)."""
        from cxlisten.phrasebook import phrase

        return phrase(locale, self.key, **{k: _say(v, locale) for k, v in self.fields.items()})

    def __reduce__(self):  # kept in caches and pickled as what it is
        return (_message, (self.key, self.fields))


class Texts(str):
    """An author's text in several locales (a survey option's label): as a string, its English
    (else its first locale's); as a field of a Message, said in the Message's locale."""

    texts: dict

    def __new__(cls, texts: dict) -> Texts:
        text = super().__new__(cls, texts.get("en") or next(iter(texts.values()), ""))
        text.texts = dict(texts)
        return text

    def say(self, locale: str) -> str:
        return self.texts.get(locale) or str(self)

    def __reduce__(self):
        return (Texts, (self.texts,))


def _say(value, locale: str):
    if isinstance(value, Message | Texts):
        return value.say(locale)
    if isinstance(value, tuple):  # a list of sentences
        return "; ".join(_say(v, locale) for v in value)
    return value


def _message(key: str, fields: dict) -> Message:
    return Message(key, **fields)


def to_json(value):
    """Return VALUE with dataclasses as dicts and tuples as lists, all the way down."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    return value
