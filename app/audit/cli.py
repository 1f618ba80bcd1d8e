"""`flask audit verify | archive | restore`: thin, they call app/audit."""
import click
from flask import Flask

from app.core.actor import Actor
from app.core.errors import DomainError
from app.core.uow import unit_of_work


def register(app: Flask) -> None:
    @app.cli.group("audit")
    def audit():
        """The audit log's chain and archives."""

    @audit.command("verify")
    def verify():
        """Check the hash chain; name the first broken entry (exit status 1)."""
        from app.audit import chain
        from app.extensions import db

        with db.engine.connect() as conn:
            verdict = chain.verify(conn)
        click.echo(verdict.describe())
        if not verdict.ok:
            raise SystemExit(1)

    @audit.command("archive")
    @click.option("--days", type=int, default=None,
                  help="Archive entries older than this (default AUDIT_ARCHIVE_DAYS).")
    def archive(days):
        """Move entries older than N days to the archive storage."""
        from app.audit import archive as archives

        try:
            with unit_of_work():
                record = archives.archive_old(days)
                message = (f"archived {record.entries} entries to {record.name}"
                           if record else "nothing to archive")
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
        click.echo(message)

    @audit.command("restore")
    @click.argument("name")
    def restore(name):
        """Put archive NAME back into the table after checking every hash."""
        from app.audit import archive as archives

        try:
            with unit_of_work():
                count = archives.restore(name, Actor.system("cli"))
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
        click.echo(f"restored {count} entries from {name}")

    @audit.command("archives")
    def list_archives():
        """The archives in storage."""
        from app.audit.storage import archive_storage

        for name in archive_storage().names():
            click.echo(name)
