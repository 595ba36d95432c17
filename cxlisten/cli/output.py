"""How the phase reports print: a terminal table by default, ``--json`` for the whole result,
``--csv`` for the main table (cells neutralised for spreadsheets); and findings sent to webhooks.
"""

from __future__ import annotations

import csv
import json
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

from cxlisten import webhooks
from cxlisten.export.csvsafe import neutralise


def pct(x) -> str:
    return "-" if x is None else f"{x * 100:.0f}%"


def clean(text: str) -> str:
    """Return TEXT safe for a terminal: control characters (escape sequences) made visible."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


def _width(text: str) -> int:
    """Return how many terminal columns TEXT takes (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def table(rows: list[dict], columns: list[tuple[str, str]]) -> None:
    """Print ROWS as an aligned text table of COLUMNS [(key, heading)]."""
    cells = [[clean(str(r.get(k, ""))) for k, _ in columns] for r in rows]
    widths = [max([_width(h), *(_width(c[i]) for c in cells)]) for i, (_, h) in enumerate(columns)]
    click.echo("  ".join(_pad(h, w) for (_, h), w in zip(columns, widths, strict=True)).rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for row in cells:
        click.echo("  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())


def write_csv(rows: list[dict], columns: list[str]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        out = []
        for c in columns:
            v = r.get(c)
            if isinstance(v, list | dict):
                v = json.dumps(v, ensure_ascii=False)
            out.append(neutralise(v) if isinstance(v, str) else ("" if v is None else v))
        writer.writerow(out)


def write_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def output_options(fn):
    fn = click.option("--csv", "as_csv", is_flag=True, help="Print the main table as CSV.")(fn)
    fn = click.option("--json", "as_json", is_flag=True, help="Print the whole result as JSON.")(fn)
    return fn


def send_findings(db, site, event: str, data: dict) -> None:
    """Queue EVENT for the site's webhooks and send what is due (retries stay queued)."""
    queued = webhooks.enqueue(db, site, event, data)
    summary = webhooks.deliver_due(db)
    click.echo(
        f"{event}: queued for {queued} webhooks; delivered {summary['delivered']}, "
        f"failed {summary['failed']} (retried by `cxlisten webhooks deliver`)",
        err=True,
    )


@contextmanager
def progress(total: int | None, label: str) -> Iterator[Callable[[int], None]]:
    """Yield a function told how much of TOTAL is done, drawing a progress bar as it goes.

    The bar (done, total, rate, time left) goes to standard error and only to a terminal: output
    sent to a file or a pipe stays as it was. With TOTAL None it shows what is done and the rate;
    with TOTAL 0 there is nothing to show.
    """
    if total == 0 or not sys.stderr.isatty():
        yield lambda done: None
        return
    started = time.monotonic()
    if total is None:  # click's bar needs a length: a counter line, redrawn up to 10 times a second
        shown = [0.0]

        def count(done: int) -> None:
            if time.monotonic() - shown[0] >= 0.1:
                shown[0] = time.monotonic()
                click.echo(f"\r{label}  {done:,}  {_rate(done, started)}", nl=False, err=True)

        yield count
        click.echo(err=True)
        return
    with click.progressbar(
        length=total,
        label=label,
        file=sys.stderr,
        show_pos=True,
        show_eta=True,
        item_show_func=lambda rate: rate,
    ) as bar:

        def tell(done: int) -> None:
            if done > bar.pos:
                bar.update(done - bar.pos, _rate(done, started))

        yield tell


def _rate(done: int, started: float) -> str:
    seconds = time.monotonic() - started
    return f"{done / seconds:,.0f}/s" if seconds > 0 and done else ""
