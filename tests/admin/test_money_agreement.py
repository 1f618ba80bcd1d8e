"""Everyone sees the same money. One realistic scenario, then every place that shows it:

- order A: 3 products (standard and reduced rate, quantities above 1), paid by card,
  refunded in two parts (one line's worth, then a goodwill amount);
- order B: paid by bank transfer, then partly credited from the back office (an amount
  typed by a person).

The API (order, invoice, credit notes, payment and refunds), the PDFs, the back-office pages
(order, payment, invoice, credit note, customer 360, dashboard), the CSV exports and the
emails must agree to the minor unit, add up (net + tax = gross, refunds = credit notes,
dashboard = the sum of its rows) and show each amount the same way: ``1,234.56 GBP``,
never a float's artefact. A credit note is negative where documents are added up (the
API, exports, lists of documents); the credit note itself (its PDF, its page, its email)
states what it credits, positive, with one sign for one amount everywhere on it. Dates
read as the PDF writes them. Runs on SQLite and PostgreSQL.
"""
from __future__ import annotations

import csv
import io
import re
import uuid
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.invoices.models import Invoice
from tests.factories import bearer
from tests.orders_support import order_body, product
from tests.payments_support import customer, new_key, pay, refund
from tests.transfer_support import transfer_body
from tests.xlsx_support import read_cells, row_of

pytestmark = pytest.mark.usefixtures("tax_rates")


# -- reading what a person sees ------------------------------------------------------------

def gbp(minor: int) -> str:
    """The one way an amount reads everywhere people see it (kept apart from the app's
    formatter on purpose: this is what the app must produce, not how it does)."""
    sign = "-" if minor < 0 else ""
    return f"{sign}{abs(minor) // 100:,}.{abs(minor) % 100:02d} GBP"


def plain(minor: int) -> str:
    """An amount in a CSV: exact decimal text, no code."""
    return gbp(minor).removesuffix(" GBP")


class _Tables(HTMLParser):
    """The text of the page and of each table row's cells."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.words: list[str] = []
        self._cell: list[str] | None = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        elif tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append(" ".join(" ".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._skip:
            return
        self.words.append(data)
        if self._cell is not None:
            self._cell.append(data)


def page(bo, url) -> _Tables:
    resp = bo.get(url)
    assert resp.status_code == 200, (url, resp.status_code)
    parsed = _Tables()
    parsed.feed(resp.get_data(as_text=True))
    parsed.text = " ".join(" ".join(parsed.words).split())
    return parsed


def row_with(parsed: _Tables, *cells: str) -> list[str]:
    """The one table row holding all these cells."""
    found = [r for r in parsed.rows if all(c in r for c in cells)]
    assert len(found) == 1, (cells, [r for r in parsed.rows if r])
    return found[0]


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def csv_rows(resp) -> list[list[str]]:
    assert resp.status_code == 200, resp.status_code
    return list(csv.reader(io.StringIO(resp.get_data(as_text=True))))


# Any amount next to a currency code: it must have exactly the currency's two decimals.
SHOWN = re.compile(r"(-?[\d,]+(?:\.\d+)?)\s+GBP")
# A negative amount, with its code or in a column without it (not the hyphen of CN-2026-...).
NEGATIVE = re.compile(r"(?<![\w-])-\d[\d,]*\.\d{2}\b")


def on_document(doc: dict, minor: int) -> int:
    """An amount as its document states it: a credit note's as the amount it credits."""
    return -minor if doc["kind"] == "credit_note" else minor


def written(iso: str) -> str:
    """A date as the PDF and the English emails write it: 3 December 2026."""
    from datetime import date

    day = date.fromisoformat(iso)
    return f"{day.day} {day:%B} {day.year}"


def well_formatted(text: str, where: str) -> None:
    for amount in SHOWN.findall(text):
        assert re.fullmatch(r"-?\d{1,3}(?:,\d{3})*\.\d{2}", amount), (where, amount)


def sums(order_or_invoice: dict) -> None:
    """net + tax = gross on every line and in total; the lines add up to the totals."""
    lines = order_or_invoice["lines"]
    for line in lines:
        assert line["net_amount"] + line["tax_amount"] == line["gross_amount"], line
    assert sum(l["net_amount"] for l in lines) == order_or_invoice["subtotal_amount"]
    assert sum(l["tax_amount"] for l in lines) == order_or_invoice["tax_amount"]
    assert order_or_invoice["subtotal_amount"] + order_or_invoice["tax_amount"] \
        == order_or_invoice["total_amount"]


# -- the scenario --------------------------------------------------------------------------

@pytest.fixture
def scenario(app, client, stripe_server, login_as, factories, smtp):
    _, secret = factories.api_key(scopes=["payments:write", "payments:read", "invoices:read"])
    partner = bearer(secret)
    user, headers = customer(client)
    kettle = product(price=1999, currency="GBP", name="Kettle")
    book = product(price=749, currency="GBP", name="Children's book", tax_category="reduced")
    towel = product(price=333, currency="GBP", name="Tea towel")

    placed = client.post("/api/v1/orders", json=order_body((kettle, 3), (book, 2), (towel, 7)),
                         headers=headers)
    assert placed.status_code == 201, placed.get_json()
    order_a = placed.get_json()
    paid = pay(client, headers, order_a, payment_method=stripe_server.card())
    assert paid.status_code == 201 and paid.get_json()["status"] == "succeeded", paid.get_json()
    payment = paid.get_json()
    book_line = next(l for l in order_a["lines"] if l["name"] == "Children's book")
    refunds = []
    for amount, reason in ((book_line["gross_amount"], "Book returned"), (1000, "Goodwill")):
        resp = refund(client, partner, payment["id"], key=new_key(), amount=amount, reason=reason)
        assert resp.status_code == 201 and resp.get_json()["status"] == "succeeded", resp.get_json()
        refunds.append(resp.get_json())

    placed = client.post("/api/v1/orders", json=order_body((kettle, 2), (book, 3)), headers=headers)
    order_b = placed.get_json()
    transfer = client.post("/api/v1/payments/bank-transfers", headers=partner,
                           json=transfer_body(order_b["id"], order_b["total_amount"]))
    assert transfer.status_code == 201 and transfer.get_json()["status"] == "applied"

    bo, _ = login_as("finance")
    invoice_b_id = db.session.scalar(select(Invoice.id).where(
        Invoice.order_id == uuid.UUID(order_b["id"]), Invoice.kind == "invoice"))
    resp = bo.post(f"/admin/invoices/{invoice_b_id}/do/credit-note/",
                   {"reason": "Scratched kettle", "amount": "12.34"},
                   token_from=f"/admin/invoices/details/?id={invoice_b_id}")
    assert resp.status_code == 302, resp.get_data(as_text=True)[:300]

    def api(path, who=partner):
        resp = client.get(f"/api/v1/{path}", headers=who)
        assert resp.status_code == 200, (path, resp.get_json())
        return resp.get_json()

    s = type("Scenario", (), {})()
    s.bo, s.api, s.client, s.partner, s.user, s.smtp = bo, api, client, partner, user, smtp
    s.order_a = api(f"orders/{order_a['id']}", headers)
    s.order_b = api(f"orders/{order_b['id']}", headers)
    s.payment = api(f"payments/{payment['id']}")
    s.transfer = transfer.get_json()
    s.payment_b = api(f"payments/{s.transfer['payment_id']}")
    s.invoice_a = api(f"invoices/{payment['invoice_id']}")
    s.invoice_b = api(f"invoices/{invoice_b_id}")
    notes = db.session.scalars(select(Invoice.id).where(Invoice.kind == "credit_note")
                               .order_by(Invoice.number)).all()
    s.notes = [api(f"invoices/{n}") for n in notes]
    s.notes_a = [n for n in s.notes if n["credit_note_for_id"] == s.invoice_a["id"]]
    s.notes_b = [n for n in s.notes if n["credit_note_for_id"] == s.invoice_b["id"]]
    s.refunds = refunds
    return s


def test_api_order_invoice_payment_refunds_and_credit_notes_agree(scenario):
    s = scenario
    a, b, inv_a, inv_b = s.order_a, s.order_b, s.invoice_a, s.invoice_b
    for doc in (a, b, inv_a, inv_b, *s.notes):
        sums(doc)
    assert {l["tax_rate"] for l in a["lines"]} == {"0.200000", "0.050000"}
    # The invoice is the order, line by line; the payment took exactly that.
    for order, invoice in ((a, inv_a), (b, inv_b)):
        assert [(l["quantity"], l["unit_price_amount"], l["net_amount"], l["tax_amount"],
                 l["gross_amount"]) for l in order["lines"]] == \
            [(l["quantity"], l["unit_amount"], l["net_amount"], l["tax_amount"],
              l["gross_amount"]) for l in invoice["lines"]]
        assert order["total_amount"] == invoice["total_amount"] == invoice["amount_paid"]
        assert invoice["order_id"] == order["id"] and invoice["status"] == "paid"
    assert s.payment["amount"] == a["total_amount"] and s.payment["currency"] == "GBP"
    assert s.transfer["amount"] == s.payment_b["amount"] == b["total_amount"]
    # Refunded = the refunds = the credit notes = what the invoice says is credited.
    refunded = sum(r["amount"] for r in s.payment["refunds"])
    assert refunded == s.payment["amount_refunded"] == 1573 + 1000
    assert s.payment["amount_refundable"] == s.payment["amount"] - refunded
    assert sorted(-n["total_amount"] for n in s.notes_a) == sorted(r["amount"] for r in s.refunds)
    assert {r["credit_note_id"] for r in s.payment["refunds"]} == {n["id"] for n in s.notes_a}
    assert inv_a["amount_credited"] == refunded and inv_a["amount_due"] == 0
    assert [n["total_amount"] for n in s.notes_b] == [-1234]
    assert inv_b["amount_credited"] == 1234 and s.payment_b["amount_refunded"] == 0
    for note in s.notes:  # a credit note is negative throughout and asks for nothing
        assert all(l["net_amount"] <= 0 and l["tax_amount"] <= 0 for l in note["lines"])
        assert note["amount_due"] == 0 and note["status"] == "finalised"
        assert note["due_date"] is None  # the PDF names no due date either


def test_pdfs_show_the_api_amounts(scenario):
    s = scenario
    for doc in (s.invoice_a, s.invoice_b, *s.notes):
        resp = s.client.get(f"/api/v1/invoices/{doc['id']}/pdf", headers=s.partner)
        assert resp.status_code == 200, resp.get_json()
        text = pdf_text(resp.data)
        well_formatted(text, doc["number"])
        assert (f"Subtotal (net) {gbp(on_document(doc, doc['subtotal_amount']))} "
                f"Tax {gbp(on_document(doc, doc['tax_amount']))}") in text
        if doc["kind"] == "invoice":
            assert f"Total {gbp(doc['total_amount'])}" in text
            assert f"PAID {gbp(doc['amount_paid'])}" in text
        else:  # one amount, one sign: the box, the total and the settlement text agree
            credited = gbp(-doc["total_amount"])
            assert f"AMOUNT CREDITED {credited}" in text
            assert f"Total credited {credited}" in text
            assert f"The credited amount of {credited} will be refunded" in text
            assert not NEGATIVE.search(text), (doc["number"], NEGATIVE.findall(text))
        for line in doc["lines"]:  # the invoice's unit price, the net the line adds
            assert f"{line['quantity']} {plain(line['unit_amount'])} " in text, \
                (doc["number"], line)
            assert plain(on_document(doc, line["net_amount"])) in text


def test_back_office_pages_show_the_api_amounts(scenario):
    s = scenario
    bo, a, inv_a, pay_a = s.bo, s.order_a, s.invoice_a, s.payment

    order_page = page(bo, f"/admin/orders/details/?id={a['id']}")
    assert f"Subtotal (net) {gbp(a['subtotal_amount'])}" in order_page.text
    assert f"Total charged {gbp(a['total_amount'])}" in order_page.text
    assert row_with(order_page, "card", gbp(pay_a["amount"]), gbp(pay_a["amount_refunded"]))
    for line in a["lines"]:  # net, tax and gross as the API and the invoice name them
        row = row_with(order_page, line["sku"])
        assert row[-3:] == [gbp(line["net_amount"]), gbp(line["tax_amount"]),
                            gbp(line["gross_amount"])], row
    # Each total stands under the column it adds up.
    footer = [r for r in order_page.rows if r and r[0] in ("Subtotal (net)", "Total charged")]
    assert [r[1:] for r in footer] == [[gbp(a["subtotal_amount"]), "", ""],
                                      [gbp(a["total_amount"])]]

    payment_page = page(bo, f"/admin/payments/details/?id={pay_a['id']}")
    assert row_with(payment_page, "Amount", gbp(pay_a["amount"]))
    assert row_with(payment_page, "Refunded", gbp(pay_a["amount_refunded"]))
    assert f"Refund ({gbp(pay_a['amount_refundable'])} refundable)" in payment_page.text
    for r in s.refunds:
        assert row_with(payment_page, gbp(r["amount"]), r["reason"])

    for invoice in (inv_a, s.invoice_b):
        inv_page = page(bo, f"/admin/invoices/details/?id={invoice['id']}")
        assert row_with(inv_page, "Subtotal", gbp(invoice["subtotal_amount"]))
        assert row_with(inv_page, "Total", gbp(invoice["total_amount"]))
        assert f"Paid {gbp(invoice['amount_paid'])}" in inv_page.text
        assert f"Credited {gbp(invoice['amount_credited'])}" in inv_page.text
        assert f"Due now {gbp(invoice['amount_due'])}" in inv_page.text
    # Partly credited: the rest can still be credited, and the form says how much.
    left = s.invoice_b["total_amount"] - s.invoice_b["amount_credited"]
    assert f"({gbp(left)} left to credit)" in inv_page.text
    assert 'id="open-credit-note"' in bo.get(
        f"/admin/invoices/details/?id={s.invoice_b['id']}").get_data(as_text=True)

    for note in s.notes:
        html = bo.get(f"/admin/invoices/details/?id={note['id']}").get_data(as_text=True)
        # A credit note is never paid and, issued, never voided: no button offers it.
        assert 'id="do-mark-paid"' not in html and 'id="do-cancel"' not in html
        note_page = page(bo, f"/admin/invoices/details/?id={note['id']}")
        # As its PDF reads: what it credits, positive, the same amount in every place.
        assert row_with(note_page, "Subtotal", gbp(-note["subtotal_amount"]))
        assert row_with(note_page, "Total credited", gbp(-note["total_amount"]))
        assert f"Total credited {gbp(-note['total_amount'])}" in note_page.text
        for line in note["lines"]:  # the unit price reads as on the PDF
            assert row_with(note_page, line["description"], gbp(line["unit_amount"]),
                            gbp(-line["net_amount"]), gbp(-line["tax_amount"]),
                            gbp(-line["gross_amount"]))
        assert not NEGATIVE.search(note_page.text), NEGATIVE.findall(note_page.text)

    c360 = page(bo, f"/admin/customers/details/?id={s.user.id}")
    paid = a["total_amount"] + s.order_b["total_amount"]
    refunded = pay_a["amount_refunded"]
    # Order B's credit note refunded nothing: the customer holds it as a credit, and what
    # is left is what the invoices less all their credit notes come to (the invoice CSV).
    credited = -sum(n["total_amount"] for n in s.notes_b)
    net = sum(d["total_amount"] for d in (inv_a, s.invoice_b, *s.notes))
    assert paid - refunded - credited == net
    assert row_with(c360, "GBP", "2", gbp(paid), gbp(refunded), gbp(credited), gbp(net))
    for doc in (inv_a, s.invoice_b, *s.notes):
        assert row_with(c360, doc["number"], gbp(doc["total_amount"]), gbp(doc["amount_due"]))

    for name, p in (("order", order_page), ("payment", payment_page), ("customer", c360)):
        well_formatted(p.text, name)


def test_dashboard_figures_are_the_sums_of_the_rows(scenario):
    s = scenario
    orders = (s.order_a, s.order_b)
    net = sum(o["subtotal_amount"] for o in orders)
    tax = sum(o["tax_amount"] for o in orders)
    gross = sum(o["total_amount"] for o in orders)
    refunds = sum(r["amount"] for r in s.payment["refunds"])
    credited = -sum(n["total_amount"] for n in s.notes_b)  # the back office's, no refund
    # The average paid order, rounded half-up like every amount (187.23 / 2 = 93.615).
    average = (2 * gross + len(orders)) // (2 * len(orders))
    dash = page(s.bo, "/admin/")
    today = [r for r in dash.rows if r[:1] == ["GBP"]]
    assert len(today) == 2  # today, and this month
    # Gross of paid orders, less refunds and credits, is what the invoices and all their
    # credit notes total (the invoice export's figure); the dashboard shows it.
    kept = sum(d["total_amount"] for d in (s.invoice_a, s.invoice_b, *s.notes))
    assert gross - refunds - credited == kept
    for row in today:
        assert row[1:9] == ["2", "2", gbp(net), gbp(tax), gbp(refunds), gbp(credited),
                            gbp(kept), gbp(average)], row
    assert gross == 18723 and average == 9362
    well_formatted(dash.text, "dashboard")


def test_csv_exports_hold_the_api_amounts(scenario):
    s = scenario
    rows = csv_rows(s.bo.get("/admin/orders/export/csv/"))
    head = rows[0]
    assert head[6:10] == ["Currency", "Subtotal", "Tax", "Total"]
    by_id = {r[1]: r for r in rows[1:]}
    for order in (s.order_a, s.order_b):
        assert by_id[order["id"]][6:10] == ["GBP", plain(order["subtotal_amount"]),
                                            plain(order["tax_amount"]), plain(order["total_amount"])]

    # The XLSX holds the same amounts as numbers with the currency's two places.
    cells = read_cells(s.bo.get("/admin/orders/export/xlsx/").data)
    for order in (s.order_a, s.order_b):
        row = row_of(cells, "B", order["id"])
        for column, key in (("H", "subtotal_amount"), ("I", "tax_amount"), ("J", "total_amount")):
            cell = cells[f"{column}{row}"]
            # The stored number is the exact decimal, not a double's "98.26000000000001".
            assert cell.type == "n" and cell.value == plain(order[key]).replace(",", ""), cell
            assert cell.number_format.endswith("0.00"), cell

    rows = csv_rows(s.bo.get("/admin/payments/export/csv/"))
    col = {name: i for i, name in enumerate(rows[0])}
    by_id = {r[col["Payment"]]: r for r in rows[1:]}
    for pay_row in (s.payment, s.payment_b):
        row = by_id[pay_row["id"]]
        assert (row[col["Amount"]], row[col["Refunded"]]) == \
            (plain(pay_row["amount"]), plain(pay_row["amount_refunded"]))

    rows = csv_rows(s.bo.get("/admin/invoice-exports/invoices.csv"))
    col = {name: i for i, name in enumerate(rows[0])}
    docs = (s.invoice_a, s.invoice_b, *s.notes)
    by_number = {r[0]: r for r in rows[1:] if r and r[0]}
    for doc in docs:
        row = by_number[doc["number"]]
        assert [row[col["subtotal"]], row[col["tax"]], row[col["total"]]] == \
            [plain(doc["subtotal_amount"]), plain(doc["tax_amount"]), plain(doc["total_amount"])]
    per_currency = [r for r in rows if r and r[0] == "" and r[8:9] == ["GBP"]][0]
    assert per_currency[9:12] == [plain(sum(d[k] for d in docs))
                                  for k in ("subtotal_amount", "tax_amount", "total_amount")]
    # The totals per tax rate add up to the totals per currency.
    start = next(i for i, r in enumerate(rows) if r and r[0] == "totals per tax rate")
    by_rate = [r for r in rows[start + 1:] if r and r[8:9] == ["GBP"]]
    assert len(by_rate) == 2  # 20 % and 5 %
    for col_rate, col_total in ((9, 9), (10, 10)):
        assert sum(Decimal(r[col_rate]) for r in by_rate) == Decimal(per_currency[col_total])
    for r in rows[1:]:
        for cell in r:
            assert not re.fullmatch(r"-?\d+\.\d{3,}", cell), r  # no float artefacts


def test_emails_say_the_amounts(scenario):
    s = scenario
    messages = s.smtp.wait_for(6)
    bodies = {m["Subject"]: [] for m in messages}
    for m in messages:
        bodies[m["Subject"]].append(" ".join(m.get_body(("plain",)).get_content().split()))
    refunds = bodies[f"Refund for your order #{s.order_a['number']}"]
    assert sorted(refunds) == sorted(
        f"Hello Test User, We have refunded {gbp(r['amount'])} for your order "
        f"#{s.order_a['number']}. It reaches your account within a few days, depending on "
        "your bank." for r in s.refunds)
    for order, invoice in ((s.order_a, s.invoice_a), (s.order_b, s.invoice_b)):
        [receipt] = bodies[f"Receipt: Invoice {invoice['number']}"]
        assert f"Invoice {invoice['number']}: {gbp(invoice['total_amount'])}." in receipt
        [confirmed] = bodies[f"Your order #{order['number']} is confirmed"]
        assert f"Total: {gbp(order['total_amount'])}, of which tax {gbp(order['tax_amount'])}" \
            in confirmed


def test_a_credit_note_email_says_what_its_pdf_and_page_say(scenario):
    """Sent from the back office: the email, the PDF attached and the page name the same
    credited amount with the same sign, and the corrected invoice's date the same way."""
    s = scenario
    [note] = s.notes_b
    url = f"/admin/invoices/details/?id={note['id']}"
    assert s.bo.post(f"/admin/invoices/{note['id']}/do/send/", token_from=url).status_code == 302
    subject = f"Credit note {note['number']}"
    messages = [m for m in s.smtp.wait_for(7) if m["Subject"] == subject]
    assert len(messages) == 1, [m["Subject"] for m in s.smtp.messages]
    body = " ".join(messages[0].get_body(("plain",)).get_content().split())
    [attached] = [part.get_content() for part in messages[0].iter_attachments()]
    pdf = pdf_text(attached)
    credited, issued = gbp(-note["total_amount"]), written(s.invoice_b["issue_date"])
    assert credited == "12.34 GBP"
    assert (f"{credited} credited, correcting invoice {s.invoice_b['number']} of {issued}"
            in body), body
    assert f"AMOUNT CREDITED {credited}" in pdf and f"Total credited {credited}" in pdf
    assert f"Corrects {s.invoice_b['number']} of {issued}" in pdf
    assert f"Total credited {credited}" in page(s.bo, url).text
    assert not NEGATIVE.search(body) and not NEGATIVE.search(pdf)


ODD = {  # right-to-left, emoji, markup, and the longest a field takes
    "name": "مريم 👩‍💻 <script>alert(1)</script> O'Brien & Søn",
    "line1": "רחוב הרצל 1 " + "\u202e" + "evil" + "\u202c" + " 🏠",
    "city": "Zürich <b>bold</b>",
}


def test_odd_names_and_addresses_show_everywhere_without_errors(app, client, stripe_server,
                                                                 login_as, factories):
    user = factories.user(verified=True, full_name="Ω " + ODD["name"])
    headers = bearer(factories.login(client, user.email)["access_token"])
    kettle = product(price=1999, currency="GBP", name="Kettle <img src=x onerror=alert(1)> ☕")
    address = {"name": ODD["name"], "line1": ODD["line1"], "city": ODD["city"],
               "postal_code": "8001", "country": "GB"}
    # A NUL (or any control character) is refused as bad input, never a 500.
    nul = client.post("/api/v1/orders", headers=headers, json=order_body(
        (kettle, 2), address={**address, "name": "Ada\x00Lovelace"}))
    assert nul.status_code in (400, 422), nul.get_json()
    too_long = client.post("/api/v1/orders", headers=headers, json=order_body(
        (kettle, 2), address={**address, "line1": "x" * 5000}))
    assert too_long.status_code in (400, 422), too_long.get_json()

    placed = client.post("/api/v1/orders", json=order_body((kettle, 2), address=address),
                         headers=headers)
    assert placed.status_code == 201, placed.get_json()
    order = placed.get_json()
    payment = pay(client, headers, order, payment_method=stripe_server.card()).get_json()
    assert payment["status"] == "succeeded", payment
    _, secret = factories.api_key(scopes=["payments:write", "invoices:read"])
    assert refund(client, bearer(secret), payment["id"], key=new_key(), amount=500,
                  reason="<script>x</script> 🙂").status_code == 201
    bo, _ = login_as("finance")
    invoice_id = payment["invoice_id"]
    odd_reason = bo.post(f"/admin/invoices/{invoice_id}/do/credit-note/",
                         {"reason": "Nul\x00here", "amount": "1.00"},
                         token_from=f"/admin/invoices/details/?id={invoice_id}")
    assert odd_reason.status_code == 302  # refused with a message, nothing issued
    ok = bo.post(f"/admin/invoices/{invoice_id}/do/credit-note/",
                 {"reason": "גבייה 🧾 <script>alert(2)</script>", "amount": "1.00"},
                 token_from=f"/admin/invoices/details/?id={invoice_id}")
    assert ok.status_code == 302

    documents = db.session.scalars(select(Invoice)).all()
    assert len(documents) == 3  # the invoice, the refund's credit note, the one typed
    urls = [f"/admin/orders/details/?id={order['id']}", "/admin/orders/",
            f"/admin/payments/details/?id={payment['id']}", "/admin/payments/",
            f"/admin/customers/details/?id={user.id}", "/admin/customers/", "/admin/",
            "/admin/invoices/", f"/admin/search/?q={user.email}",
            "/admin/orders/export/csv/", "/admin/payments/export/csv/",
            "/admin/invoice-exports/invoices.csv", "/admin/invoice-exports/invoices.xlsx",
            "/admin/orders/export/xlsx/"]
    urls += [f"/admin/invoices/details/?id={d.id}" for d in documents]
    for url in urls:
        resp = bo.get(url)
        assert resp.status_code == 200, (url, resp.status_code)
        if resp.mimetype == "text/html":  # escaped in pages (files hold the plain text)
            assert "<script>alert" not in resp.get_data(as_text=True), url
    html = bo.get(f"/admin/orders/details/?id={order['id']}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "مريم" in html
    for doc in documents:
        resp = bo.get(f"/admin/invoices/{doc.id}/pdf")
        assert resp.status_code == 200 and resp.mimetype == "application/pdf", doc.number
        assert "O'Brien & Søn" in pdf_text(resp.data) or "Brien" in pdf_text(resp.data)


def test_mark_paid_asks_for_and_records_what_is_due(app, login_as):
    from tests.transfer_support import open_invoice

    invoice = open_invoice()  # 2 x 50.00 + 20 % = 120.00 GBP, awaiting payment
    bo, _ = login_as("finance")
    url = f"/admin/invoices/details/?id={invoice.id}"
    assert bo.post(f"/admin/invoices/{invoice.id}/do/credit-note/",
                   {"reason": "Discount", "amount": "20.00"}, token_from=url).status_code == 302
    html = bo.get(url).get_data(as_text=True)
    assert "Record that the bank transfer for 100.00 GBP was received?" in html
    assert "(100.00 GBP left to credit)" in html and 'id="open-credit-note"' in html
    assert 'id="do-cancel"' not in html  # credited in part: corrected by credit notes only
    assert bo.post(f"/admin/invoices/{invoice.id}/do/mark-paid/", token_from=url).status_code == 302
    db.session.expire_all()
    paid = db.session.get(Invoice, invoice.id)
    assert (paid.status, paid.amount_paid, paid.amount_credited) == ("paid", 10000, 2000)
    shown = page(bo, url).text
    assert "Paid 100.00 GBP" in shown and "Credited 20.00 GBP" in shown and "Due now 0.00 GBP" in shown
