"""Contract test: the generated Python SDK (api/sdk/python) against a live server
(gunicorn on PostgreSQL): what an app developer and a partner do, end to end."""
from __future__ import annotations

import io
import sys
import uuid

import pytest
from pypdf import PdfReader

from app.core.money import format_amount

from tests.contract import sdk_live
from tests.live import ROOT, web_server

sys.path.insert(0, str(ROOT / "api" / "sdk" / "python"))

from nextgen_market_client import AuthenticatedClient, Client  # noqa: E402
from nextgen_market_client.api.auth import login, register  # noqa: E402
from nextgen_market_client.api.invoices import (  # noqa: E402
    get_invoice, get_invoice_pdf, list_invoices,
)
from nextgen_market_client.api.orders import create_order, list_orders  # noqa: E402
from nextgen_market_client.api.products import (  # noqa: E402
    bulk_upsert_products, get_product, list_products,
)
from nextgen_market_client.models import (  # noqa: E402
    Address, BulkUpsert, Currency, InvoiceStatus, ListProductsSort, Login, OrderCreate,
    OrderLineCreate, OrderStatus, ProductCreate, Register, TaxCategory,
)

ADDRESS = Address(name="Ada Lovelace", line1="1 Analytical St", city="London",
                  postal_code="N1 9GU", country="GB")


def _log_in(base: str, email: str, password: str) -> AuthenticatedClient:
    token = login.sync(client=Client(base_url=base), body=Login(email=email, password=password))
    assert token.token_type == "Bearer", token
    return AuthenticatedClient(base_url=base, token=token.access_token)


@pytest.fixture
def live(pg_app, factories):
    partner_key = sdk_live.prepare()
    with web_server(pg_app, workers=2, threads=4) as base:
        yield base, partner_key


def test_partner_and_customer_through_the_python_sdk(live):
    base, partner_key = live
    run = uuid.uuid4().hex[:8]
    tag = f"py{run}"

    # Partner: bulk upsert by SKU.
    partner = AuthenticatedClient(base_url=base, token=partner_key)
    rows = [ProductCreate(sku=f"PY-{run}-{n}", name=f"Teapot {tag} {n}", price_amount=1000 * n,
                          currency=Currency.GBP, tax_category=TaxCategory.STANDARD,
                          stock_on_hand=50) for n in (1, 2, 3)]
    counts = bulk_upsert_products.sync(client=partner, body=BulkUpsert(products=rows))
    assert (counts.created, counts.updated, counts.unchanged) == (3, 0, 0), counts

    # Customer: register, log in.
    email, password = f"py-{run}@example.com", "a long enough passphrase"
    anonymous = Client(base_url=base)
    signed_up = register.sync_detailed(client=anonymous, body=Register(
        email=email, password=password, full_name="Ada Lovelace"))
    assert signed_up.status_code == 202, signed_up.content
    customer = _log_in(base, email, password)

    # Browse, search, read one.
    page = list_products.sync(client=customer, page_size=2)
    assert len(page.data) == 2 and page.has_more is True
    found = list_products.sync(client=customer, q=tag, sort=ListProductsSort.PRICE,
                               include_total=True)
    assert [p.sku for p in found.data] == [f"PY-{run}-{n}" for n in (1, 2, 3)], found
    assert found.total == 3
    cheapest = get_product.sync(found.data[0].id, client=customer)
    assert cheapest.price_amount == 1000 and cheapest.currency == "GBP"

    # An order with an Idempotency-Key, replayed: the same order, marked as a replay.
    body = OrderCreate(lines=[OrderLineCreate(product_id=cheapest.id, quantity=2)],
                       shipping_address=ADDRESS)
    first = create_order.sync_detailed(client=customer, body=body, idempotency_key=f"py-{run}")
    replay = create_order.sync_detailed(client=customer, body=body, idempotency_key=f"py-{run}")
    assert first.status_code == replay.status_code == 201, first.content
    assert "Idempotent-Replayed" not in first.headers
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.parsed.to_dict() == first.parsed.to_dict()
    order = first.parsed
    assert order.status == OrderStatus.PENDING_PAYMENT and order.total_amount == 2400  # 20 % VAT

    # Two more orders, then all three by cursor, two a page, newest first.
    for product in found.data[1:]:
        create_order.sync(client=customer, body=OrderCreate(
            lines=[OrderLineCreate(product_id=product.id, quantity=1)], shipping_address=ADDRESS))
    seen, cursor, pages = [], None, 0
    while True:
        listed = list_orders.sync(client=customer, limit=2, **({"cursor": cursor} if cursor else {}))
        seen += [o.id for o in listed.data]
        pages += 1
        cursor = listed.next_cursor
        assert listed.has_more is (cursor is not None)
        if cursor is None:
            break
    assert pages == 2 and len(set(seen)) == 3 and seen[-1] == order.id

    # Staff marks it paid (back office); the invoice and its PDF follow.
    sdk_live.mark_paid(order.id)
    invoices = list_invoices.sync(client=customer)
    assert [i.order_id for i in invoices.data] == [order.id]
    invoice = get_invoice.sync(str(invoices.data[0].id), client=customer)
    assert invoice.status == InvoiceStatus.PAID and invoice.amount_due == 0
    assert invoice.total_amount == order.total_amount and invoice.number
    pdf = get_invoice_pdf.sync_detailed(str(invoice.id), client=customer)
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert format_amount(invoice.total_amount, "GBP") in text
