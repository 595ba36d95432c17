"""Read an HTML form the way a browser submits it (for test-client tests of the builder)."""

from __future__ import annotations

from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self.select = self.textarea = None
        self.options: list = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button", "file"):
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self.select, self.options = a["name"], []
        elif tag == "option" and self.select:
            self.options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and a.get("name"):
            self.textarea, self.text = a["name"], ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            chosen = [v for v, s in self.options if s] or [v for v, _ in self.options[:1]]
            self.fields.append((self.select, chosen[-1] if chosen else ""))
            self.select = None
        elif tag == "textarea" and self.textarea:
            # The HTML parser keeps the newline a browser drops after <textarea>.
            self.fields.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None


def form_fields(html: str, form_id: str = "builder-form") -> list[tuple[str, str]]:
    """Return the (name, value) pairs the form FORM_ID in HTML submits, in document order."""
    parser = _Form(form_id)
    parser.feed(html)
    return parser.fields
