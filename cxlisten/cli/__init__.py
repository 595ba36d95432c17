"""The ``cxlisten`` command: one click group, one module per family of verbs.

Library errors become one readable line (``Error: ...``) and exit status 1; never a traceback.
"""

from __future__ import annotations

import importlib
import sys

import click

from cxlisten.errors import CxlistenError
from cxlisten.storage.db import DatabaseError

# Each module defines commands on ``cli`` when imported.
COMMAND_MODULES = (
    "cxlisten.cli.core",
    "cxlisten.cli.surveys",
    "cxlisten.cli.export",
    "cxlisten.cli.track",
    "cxlisten.cli.speed",
    "cxlisten.cli.journeys",
    "cxlisten.cli.deepdive",
    "cxlisten.cli.activate",
    "cxlisten.cli.keys",
    "cxlisten.cli.customers",
    "cxlisten.cli.imports",
    "cxlisten.cli.survey_tools",
    "cxlisten.cli.predict",
    "cxlisten.cli.process",
    "cxlisten.cli.database",
    "cxlisten.cli.summaries",
)


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except CxlistenError as exc:
            raise click.ClickException(str(exc)) from None
        except DatabaseError as exc:
            raise click.ClickException(f"database error: {exc}") from None
        except OSError as exc:
            where = f": {exc.filename}" if exc.filename else ""
            raise click.ClickException(f"{exc.strerror or exc}{where}") from None


@click.group(cls=_Group)
@click.version_option(package_name="cxlisten")
def cli():
    """cxlisten: digital listening — journeys, intercept surveys, zero-party profiles."""


def main(argv: list[str] | None = None) -> None:
    """Run the library's commands (``cxlisten`` itself, with ``serve`` and ``demo``, is
    ``collector.cli.main``)."""
    cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="cxlisten")


for _name in COMMAND_MODULES:
    importlib.import_module(_name)
