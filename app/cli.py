"""Flask CLI commands: thin wrappers around app/ services."""
import sys

import click
from flask import Flask

from app.core.actor import Actor
from app.core.errors import DomainError
from app.core.uow import unit_of_work


def register(app: Flask) -> None:
    @app.cli.group("demo")
    def demo():
        """Demo data."""

    @demo.command("load")
    def demo_load():
        """Load demo data (idempotent) and print the demo logins."""
        from app import demo as demo_data

        try:
            with unit_of_work():
                creds = demo_data.load()
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
        click.echo("Demo accounts (passwords are per machine, kept in instance/):")
        for email, role, _ in demo_data.DEMO_STAFF:
            click.echo(f"  back office  {role:8} {email}  password: {creds.get(email, '(set before)')}")
        for email, _ in demo_data.DEMO_CUSTOMERS:
            click.echo(f"  customer     {'':8} {email}  password: {creds.get(email, '(set before)')}")

    @app.cli.group("reporting")
    def reporting():
        """The daily sales rollup behind the dashboard."""

    @reporting.command("rollup")
    @click.option("--days", default=400, show_default=True, help="How far back to fill.")
    @click.option("--rebuild", is_flag=True, help="Recompute stored days (after a data fix).")
    def reporting_rollup(days, rebuild):
        """Store the figures of closed days that have none yet (schedulable: idempotent)."""
        from datetime import timedelta

        from app.core.clock import business_date
        from app.reporting import rollup

        today = business_date()
        with unit_of_work():
            action = rollup.rebuild if rebuild else rollup.close_days
            added = action(today - timedelta(days=days), today)
        click.echo(f"{added} day(s) stored")

    @app.cli.group("staff")
    def staff():
        """Back-office accounts."""

    @staff.command("create")
    @click.option("--email", required=True)
    @click.option("--role", required=True, type=click.Choice(["admin", "finance", "support"]))
    @click.option("--password-stdin", is_flag=True,
                  help="Read the password from standard input (one line) instead of a prompt.")
    @click.option("--name", default="")
    def staff_create(email, role, password_stdin, name):
        """Create a staff account. The password is prompted for, or read from standard input:
        never an argument, which other users of the host see in the process list."""
        from app.staff import service

        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)

        try:
            with unit_of_work():
                member = service.create(email, role, password, name, actor=Actor.system("cli"))
        except DomainError as exc:
            raise click.ClickException(f"{exc.message} {exc.errors or ''}".strip()) from None
        click.echo(f"Created {member.role} {member.email}")

    @app.cli.group("apikeys")
    def apikeys():
        """Partner API keys."""

    @apikeys.command("create")
    @click.option("--name", required=True)
    @click.option("--scopes", required=True, help="Comma-separated, e.g. catalog:write,orders:read")
    def apikeys_create(name, scopes):
        from app.apikeys import service

        try:
            with unit_of_work():
                key, secret = service.create(
                    name, [s.strip() for s in scopes.split(",") if s.strip()],
                    actor=Actor.system("cli"))
        except DomainError as exc:
            raise click.ClickException(f"{exc.message} {exc.errors or ''}".strip()) from None
        click.echo(f"API key {key.name} ({', '.join(key.scopes)}). Shown once, store it now:")
        click.echo(secret)

    @app.cli.group("outbox")
    def outbox():
        """The event outbox."""

    @outbox.command("redispatch")
    @click.option("--older-than", default=0, type=int, help="Seconds")
    def outbox_redispatch(older_than):
        from app.events.dispatch import redispatch_stale

        click.echo(f"Dispatched {redispatch_stale(older_than)} event(s)")

    @app.cli.group("webhooks")
    def webhooks():
        """Outgoing webhooks."""

    @webhooks.command("retry-due")
    def webhooks_retry_due():
        """Send the deliveries that are due (the embedded default has no worker to)."""
        from app.webhooks.delivery import sweep_due

        click.echo(f"Handed over {sweep_due()} delivery(ies)")

    @app.cli.group("retention")
    def retention():
        """Deleting finished rows older than their retention (config.py)."""

    @retention.command("purge")
    @click.option("--batch-size", type=click.IntRange(min=1), default=None,
                  help="Rows per transaction [default: RETENTION_BATCH_SIZE].")
    def retention_purge(batch_size):
        """Delete finished outbox events, webhook deliveries and events, and processed
        gateway events past their retention (schedulable: the daily job does the same).
        Each batch commits on its own, so an interrupted run keeps what it deleted."""
        from app import retention as retention_rules

        counts = retention_rules.purge(batch_size=batch_size)
        for table, count in counts.items():
            click.echo(f"{table}: {count} deleted")

    from app.audit.cli import register as register_audit_cli
    from jobs.cli import register as register_jobs_cli

    register_audit_cli(app)
    register_jobs_cli(app)
