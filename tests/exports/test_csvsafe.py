"""The CSV writer: RFC 4180 quoting, formula neutralisation, Excel BOM, ISO times, JSON Lines."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxlisten.export.csvsafe import csv_chunks, iso_time, jsonl_chunks, neutralise, restore


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://evil.example")', '\'=HYPERLINK("http://evil.example")'),
        ("+1+1", "'+1+1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("'quoted", "''quoted"),
        ("-", "'-"),
        ("-1e5", "'-1e5"),
        ("-١٢", "'-١٢"),  # Arabic-Indic digits are not a plain number
        # Left alone: plain negative numbers, and anything not starting with a trigger.
        ("-12", "-12"),
        ("-3.25", "-3.25"),
        ("a=1", "a=1"),
        (" =1+1", " =1+1"),
        ("运费", "运费"),
        ("", ""),
    ],
)
def test_neutralise(cell, written):
    assert neutralise(cell) == written


@given(st.text())
def test_restore_undoes_neutralise(text):
    assert restore(neutralise(text)) == text


@given(st.text())
def test_a_neutralised_cell_never_starts_a_formula(text):
    cell = neutralise(text)
    assert not cell.startswith(("=", "+", "@", "\t", "\r"))
    assert (
        not cell.startswith("-")
        or cell[1:].replace(".", "", 1).isascii()
        and (cell[1:].replace(".", "", 1).isdigit())
    )


@pytest.mark.parametrize(
    ("ms", "iso"),
    [
        (0, "1970-01-01T00:00:00.000Z"),
        (1, "1970-01-01T00:00:00.001Z"),
        (59_999, "1970-01-01T00:00:59.999Z"),
        (1_763_913_129_842, "2025-11-23T15:52:09.842Z"),
        (1_798_761_599_999, "2026-12-31T23:59:59.999Z"),
        (None, None),
    ],
)
def test_iso_time(ms, iso):
    assert iso_time(ms) == iso


KINDS = ["time", "number", "id", "text", "json", "bool", "value"]
ROW = (1_763_913_129_842, -7, "ab12", "=cmd|' /C calc'!A0", '{"k":"v"}', 1, ["a", "b"])


def test_csv_is_rfc4180_with_crlf_and_a_neutralised_header():
    text = "".join(
        csv_chunks(["when", "n", "=id"], ["time", "number", "id"], [[(0, 5, 'say "hi", ok\nbye')]])
    )
    assert text == ('when,n,\'=id\r\n1970-01-01T00:00:00.000Z,5,"say ""hi"", ok\nbye"\r\n')


def test_every_kind_is_written_as_documented():
    text = "".join(csv_chunks([f"c{i}" for i in range(7)], KINDS, [[ROW]]))
    assert list(csv.reader(io.StringIO(text)))[1] == [
        "2025-11-23T15:52:09.842Z",
        "-7",
        "ab12",
        "'=cmd|' /C calc'!A0",
        '{"k":"v"}',
        "true",
        '["a","b"]',
    ]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (None, ""),
        (True, "true"),
        (3, "3"),
        (-2.5, "-2.5"),
        ("-4", "-4"),
        ("=x", "'=x"),
        ([1, "二"], '[1,"二"]'),
        ({"a": 1}, '{"a":1}'),
    ],
)
def test_value_cells(value, cell):
    text = "".join(csv_chunks(["v"], ["value"], [[(value,)]]))
    assert list(csv.reader(io.StringIO(text)))[1] == [cell]


def test_excel_mode_starts_with_a_bom_and_only_once():
    chunks = list(csv_chunks(["名字"], ["text"], [[("运费",)], [("价格",)]], excel=True))
    text = "".join(chunks)
    assert text.startswith("\ufeff名字\r\n")
    assert text.count("\ufeff") == 1
    assert text.encode("utf-8").decode("utf-8-sig").splitlines() == ["名字", "运费", "价格"]


def test_the_header_is_the_first_chunk_before_any_row_is_read():
    def rows():
        raise AssertionError("rows read before the header was sent")
        yield

    assert next(csv_chunks(["a", "b"], ["number", "number"], rows())) == "a,b\r\n"


def test_json_lines_keep_values_unneutralised_and_typed():
    text = "".join(jsonl_chunks([f"c{i}" for i in range(7)], KINDS, [[ROW]]))
    assert text.endswith("\n") and text.count("\n") == 1
    assert json.loads(text) == {
        "c0": "2025-11-23T15:52:09.842Z",
        "c1": -7,
        "c2": "ab12",
        "c3": "=cmd|' /C calc'!A0",
        "c4": {"k": "v"},
        "c5": True,
        "c6": ["a", "b"],
    }
