"""``cxlisten demo``: the demo shop and a collector with example data, on 127.0.0.1."""

from __future__ import annotations

import click

from cxlisten.cli import cli


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
def demo_command(db_path, port, shop_port, visitors, no_browser_hint):
    """Serve the demo shop and a collector loaded with the example surveys and rules."""
    from cxlisten.demo import start_demo

    if visitors:
        click.echo(f"Simulating {visitors} visitors…")
    demo = start_demo(db_path, port=port, shop_port=shop_port, simulate=visitors)
    summary = demo.summary
    click.echo(f"cxlisten demo: fresh database {db_path} (site {summary.site_key})")
    journeys = [f"{name} ({summary.phases.get(name, '?')})" for name in summary.journeys]
    for label, names in (
        ("survey", summary.surveys),
        ("intervention", summary.interventions),
        ("journey", journeys),
        ("activation rule", summary.rules),
    ):
        if names:
            click.echo(f"  {len(names)} {label}{'s' if len(names) > 1 else ''}: {', '.join(names)}")
    if summary.simulated:
        click.echo(
            "  simulated: "
            + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in summary.simulated.items())
        )
    for what in summary.missing:
        click.echo(f"  not loaded: {what}", err=True)
    click.echo("")
    click.echo(f"  Shop:       {demo.shop_url}/")
    click.echo(f"  Collector:  {demo.collector_url}/  (API description: /openapi.json)")
    click.echo(f"  Admin key:  {summary.admin_key}")
    if not no_browser_hint:
        click.echo("")
        click.echo(f"Open {demo.shop_url}/ in your browser, then try:")
        click.echo("  - answer “What brings you here today?”, then reload the home page;")
        click.echo(
            "  - add something to the cart, go to checkout, and move the mouse out of the window;"
        )
        click.echo("  - stay on the help centre for 45 seconds.")
        click.echo("In another terminal, read the phase reports:")
        click.echo(f"  cxlisten track --db {db_path}")
        click.echo(f"  cxlisten deepdive report cart-abandon --db {db_path}")
        click.echo(f"  cxlisten export responses --db {db_path} --out responses.csv")
    click.echo("\nPress Ctrl-C to stop.")
    try:
        while not demo.wait(0.5):
            pass
    except KeyboardInterrupt:
        click.echo("\nStopping…")
    finally:
        demo.stop()
