"""Models and migrations agree, on PostgreSQL (where drift would hurt)."""


def test_no_drift_between_models_and_migrations(pg_app):
    runner = pg_app.test_cli_runner()
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output


def test_orders_placed_before_numbers_are_numbered_in_placing_order(tmp_path, backend):
    """0016 numbers existing orders by when they were placed; new ones follow on."""
    import uuid

    import sqlalchemy as sa
    from datetime import datetime, timedelta, timezone

    from flask_migrate import upgrade
    from sqlalchemy import create_engine, text

    from app.extensions import db
    from app.orders.models import Order
    from app.users.models import User
    from tests import services
    from tests.conftest import _make_app

    if backend == "postgresql":
        name = f"{services.PG_TEST_DB}_numbering"
        admin = create_engine(services.PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = services.pg_url().rsplit("/", 1)[0] + f"/{name}"
    else:
        url = f"sqlite:///{tmp_path / 'numbering.sqlite3'}"
    app = _make_app(url, str(tmp_path / "instance"))
    base = datetime(2026, 1, 1, tzinfo=timezone.utc)
    placed = {uuid.uuid4(): base + timedelta(days=d) for d in (2, 0, 1)}  # inserted out of order
    with app.app_context():
        upgrade(revision="0015_paypal_reconciliation")
        # The tables as 0015 left them: orders without a number column.
        old_orders = sa.Table("orders", sa.MetaData(),
                              *[c._copy() for c in Order.__table__.c if c.name != "number"])
        # And users without the columns later migrations added (0017: phone, language).
        later_columns = {"locale", "phone_verified_at", "phone_code_hash",
                         "phone_code_expires_at", "phone_code_attempts", "sms_opt_in"}
        old_users = sa.Table("users", sa.MetaData(),
                             *[c._copy() for c in User.__table__.c if c.name not in later_columns])
        customer = uuid.uuid4()
        db.session.execute(old_users.insert().values(
            id=customer, email="old@example.com", password_hash="x", full_name="",
            is_active=True, credentials_version=1, created_at=base, updated_at=base))
        for order_id, at in placed.items():
            db.session.execute(old_orders.insert().values(
                id=order_id, customer_id=customer, status="pending_payment", currency="EUR",
                tax_inclusive=False, subtotal_amount=100, tax_amount=0, total_amount=100,
                country="DE", shipping_address={"country": "DE"},
                billing_address={"country": "DE"}, restocked=False, created_at=at,
                updated_at=at))
        db.session.commit()
        upgrade()
        numbers = {o.id: o.number for o in db.session.scalars(db.select(Order))}
        by_time = sorted(placed, key=placed.get)
        assert [numbers[i] for i in by_time] == [1001, 1002, 1003]
        later = Order(customer_id=customer, currency="EUR", subtotal_amount=1, total_amount=1,
                      country="DE", shipping_address={}, billing_address={})
        db.session.add(later)
        db.session.commit()
        assert later.number == 1004
        db.session.remove()
        db.engine.dispose()


def test_0025_empties_the_stored_days_so_they_are_refilled_with_the_credited_figure(tmp_path):
    """Days stored before 0025 lack 'credited, not refunded': they go, and come back
    computed (the dashboard fills missing closed days)."""
    from datetime import date

    import sqlalchemy as sa
    from flask_migrate import upgrade

    from app.extensions import db
    from app.reporting.models import DailySales, DailySalesByRate
    from tests.conftest import _make_app

    app = _make_app(f"sqlite:///{tmp_path / 'rollup.sqlite3'}", str(tmp_path / "instance"))
    with app.app_context():
        upgrade(revision="0023_bo2")
        old_days = sa.Table("daily_sales", sa.MetaData(), *[
            c._copy() for c in DailySales.__table__.c if c.name != "credited_amount"])
        db.session.execute(old_days.insert().values(
            day=date(2026, 1, 5), currency="EUR", orders_placed=3, orders_paid=2, net_amount=100,
            tax_amount=19, refunded_amount=0, payments_succeeded=2, payments_failed=0))
        db.session.execute(DailySalesByRate.__table__.insert().values(
            day=date(2026, 1, 5), currency="EUR", tax_rate=0.19, net_amount=100, tax_amount=19))
        db.session.commit()
        upgrade()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(DailySales)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(DailySalesByRate)) == 0
        db.session.remove()
        db.engine.dispose()
