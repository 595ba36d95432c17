"""Survey, journey and rule files: bad JSON is one readable line naming the file, never a traceback."""

from __future__ import annotations

import pytest

from cxlisten.errors import InvalidInput
from cxlisten.files import read_json_file


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 5000 + "]" * 5000, "nested deeper than"),
        ('{"a": NaN}', "NaN is not a JSON number"),
        ('{"a": 1e4000}', "1e4000"),
        ('{"a": 1,,}', "invalid JSON at line 1, column 9"),
        (b"\xff\xfe", "not UTF-8 text"),
    ],
)
def test_bad_json_files_are_refused_with_the_reason(tmp_path, text, message):
    path = tmp_path / "survey.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(InvalidInput, match="survey.json") as refused:
        read_json_file(path)
    assert message in str(refused.value)


def test_a_lone_surrogate_escape_is_read_replaced(tmp_path):
    path = tmp_path / "survey.json"
    path.write_text('{"title": "cut \\ud83d"}')
    assert read_json_file(path) == {"title": "cut \ufffd"}
