"""One unit of work: services flush, the runner commits once, then side effects follow."""
import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.catalog import service as catalog
from app.catalog.models import Product
from app.core import uow
from app.core.actor import Actor
from app.core.errors import AuthenticationFailed, Conflict
from app.core.uow import unit_of_work
from app.events import registry
from app.events.models import OutboxEvent
from app.extensions import db
from app.orders import service as orders
from tests.orders_support import ADDRESS, product

pytestmark = pytest.mark.usefixtures("tax_rates")
ACTOR = Actor.system("tests")


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _product_data(sku: str) -> dict:
    return {"sku": sku, "name": "Lamp", "price_amount": 1500, "currency": "EUR"}


def test_two_services_share_one_transaction_and_a_refusal_in_the_second_undoes_the_first(
        app, factories):
    user = factories.user()
    short = product(stock=1)
    audits, events = _count(AuditEntry), _count(OutboxEvent)
    with pytest.raises(Conflict):
        with unit_of_work():
            catalog.create_product(_product_data("UOW-FIRST"), actor=ACTOR)
            orders.place(user.id, [{"product_id": short.id, "quantity": 2}], ADDRESS,
                         actor=Actor(kind="user", id=user.id))
    db.session.expire_all()
    assert db.session.scalar(select(Product).where(Product.sku == "UOW-FIRST")) is None
    assert (_count(AuditEntry), _count(OutboxEvent)) == (audits, events)
    assert db.session.get(Product, short.id).stock_on_hand == 1


SEEN = []


def _record(evt):
    # Inline handlers run after the commit: the rows are there for them to read.
    SEEN.append((evt.type, _count(Product)))


def test_two_services_commit_together_and_their_events_run_after_the_commit(app, monkeypatch):
    SEEN.clear()
    monkeypatch.setitem(registry.HANDLERS, "product.created",
                        [registry.Handler("record", f"{__name__}:_record")])
    before = _count(Product)
    with unit_of_work():
        catalog.create_product(_product_data("UOW-A"), actor=ACTOR)
        catalog.create_product(_product_data("UOW-B"), actor=ACTOR)
        assert SEEN == []  # nothing runs before the commit
    assert SEEN == [("product.created", before + 2)] * 2


def test_services_never_commit(app):
    catalog.create_product(_product_data("UOW-UNCOMMITTED"), actor=ACTOR)
    db.session.rollback()  # what a runner does when the request fails afterwards
    assert db.session.scalar(select(Product).where(Product.sku == "UOW-UNCOMMITTED")) is None
    assert _count(OutboxEvent) == 0


def test_nested_units_join_the_outermost(app):
    with pytest.raises(RuntimeError):
        with unit_of_work():
            with unit_of_work():
                catalog.create_product(_product_data("UOW-NESTED"), actor=ACTOR)
            raise RuntimeError("the outer runner fails after the inner block ended")
    assert db.session.scalar(select(Product).where(Product.sku == "UOW-NESTED")) is None


def test_a_refusal_that_keeps_its_writes_commits_them(app):
    with pytest.raises(AuthenticationFailed):
        with unit_of_work():
            catalog.create_product(_product_data("UOW-KEPT"), actor=ACTOR)
            raise AuthenticationFailed("refused, with a trace", keep_writes=True)
    db.session.rollback()
    assert db.session.scalar(select(Product).where(Product.sku == "UOW-KEPT")) is not None


def test_after_commit_callbacks_wait_for_the_commit_and_vanish_on_rollback(app):
    calls = []
    with unit_of_work():
        uow.after_commit(calls.append, "committed")
        assert calls == []
    assert calls == ["committed"]
    with pytest.raises(RuntimeError):
        with unit_of_work():
            uow.after_commit(calls.append, "rolled back")
            raise RuntimeError
    uow.commit()
    assert calls == ["committed"]
