"""The ``cxlisten`` command, whole: the library's commands plus those that run the collector.

``serve`` and ``demo`` start HTTP servers, so they live here, where both the library and the
collector may be imported; ``cxlisten`` (the console script) is this module's ``main``. The
library's own group, ``cxlisten.cli.cli``, never imports the collector.
"""

from __future__ import annotations

import sys

import click

from collector import create_app
from collector.warm import warm_up
from cxlisten.cli import cli
from cxlisten.cli.options import db_option
from cxlisten.cli.output import progress
from cxlisten.storage.db import redact

__all__ = ["cli", "main"]


def main(argv: list[str] | None = None) -> None:
    """Run the CLI (the ``cxlisten`` console script)."""
    cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="cxlisten")


@cli.command(name="serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
def serve_command(db_path, host, port):
    """Run the collector (development server; use gunicorn in production)."""
    app = create_app({"db": db_path})
    warm_up(app)
    click.echo(f"cxlisten collector on http://{host}:{port}  (database {redact(db_path)})")
    app.run(host=host, port=port, threaded=True, use_reloader=False)


@cli.command(name="demo")
@click.option(
    "--db",
    "db_path",
    default="cxlisten-demo.db",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Demo database file, created afresh (an earlier demo database there is replaced).",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Collector port (0: any free port).",
)
@click.option(
    "--shop-port",
    default=8001,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Shop port (0: any free port); a port of its own, so CORS is real.",
)
@click.option(
    "--simulate",
    "visitors",
    default=0,
    show_default=True,
    type=click.IntRange(0, 100_000),
    metavar="N",
    help="First fill the database with N simulated visitors.",
)
@click.option(
    "--no-browser-hint", is_flag=True, help="Print the URLs only, without the walkthrough."
)
@click.option(
    "--allow-automation",
    is_flag=True,
    help="Let a scripted browser (Playwright, Selenium, headless Chrome) meet the surveys: the "
    "snippet tracks under automation and the demo site counts such browsers as people.",
)
def demo_command(db_path, port, shop_port, visitors, no_browser_hint, allow_automation):
    """Serve the demo shop and a collector loaded with the example surveys and rules."""
    import logging

    from collector.demo import start_demo

    # One line per request would push the URLs off the screen; errors are still shown.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    with progress(visitors, "Simulating visitors") as tell:
        demo = start_demo(
            db_path,
            port=port,
            shop_port=shop_port,
            simulate=visitors,
            progress=tell,
            allow_automation=allow_automation,
        )
    for line in describe(demo, db_path, hint=not no_browser_hint):
        click.echo(line)
    click.echo("\nPress Ctrl-C to stop.")
    try:
        while not demo.wait(0.5):
            pass
    except KeyboardInterrupt:
        click.echo("\nStopping…")
    finally:
        demo.stop()


def describe(demo, db_path: str, *, hint: bool = True) -> list[str]:
    """Return the lines that tell what the demo loaded, where it runs and what to try."""
    summary = demo.summary
    lines = [f"cxlisten demo: fresh database {db_path} (site {summary.site_key})"]
    journeys = [f"{name} ({summary.phases.get(name, '?')})" for name in summary.journeys]
    for label, names in (
        ("survey", summary.surveys),
        ("intervention", summary.interventions),
        ("journey", journeys),
        ("activation rule", summary.rules),
    ):
        if names:
            lines.append(
                f"  {len(names)} {label}{'s' if len(names) > 1 else ''}: {', '.join(names)}"
            )
    if summary.simulated:
        counts = (f"{v:,} {k.replace('_', ' ')}" for k, v in summary.simulated.items())
        lines.append("  simulated: " + ", ".join(counts))
    if summary.paused:
        lines.append(f"  paused (history only): {', '.join(summary.paused)}")
    lines += [
        "",
        f"  Shop:       {demo.shop_url}/",
        f"  Collector:  {demo.collector_url}/  (API description: /openapi.json)",
        f"  Console:    {demo.collector_url}/console/  (sign in with the admin key)",
        f"  Admin key:  {summary.admin_key}",
        f"  Delivery:   {demo.delivery_link}  (the QR code on {demo.shop_url}/delivery-note)",
    ]
    if hint:
        lines += [
            "",
            f"Open {demo.shop_url}/ in a private window, then:",
            "  - stay 3 s on the home page and answer “What brings you here today?”;",
            "  - add something to the cart, go to checkout, move the pointer out at the top;",
            "  - stay 45 s on a help page;",
            f"  - sign in at {demo.shop_url}/account in two browsers (a phone and a laptop):",
            "    what one answered, the other is not asked; the console's Customers page shows it.",
            "In another terminal, read the three phase reports and export the answers:",
            f"  cxlisten track --db {db_path}",
            f"  cxlisten deepdive report cart-abandon --db {db_path}",
            f"  cxlisten activate lift --db {db_path}",
            f"  cxlisten export responses --db {db_path} --out responses.csv",
            "The README's section “The demo, step by step” tells what each one shows.",
        ]
    return lines
