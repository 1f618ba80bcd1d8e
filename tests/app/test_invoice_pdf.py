"""Invoice PDFs (app/invoices/pdf.py) and their storage (app/invoices/storage.py).

Rendering needs no database: invoices are built in memory with their lines
(app/invoices/pdf_sample.py, amounts from the one tax computation), and the text is read
back with pypdf."""
from __future__ import annotations

import io
import re
from types import SimpleNamespace

import pytest
from flask import has_app_context
from pypdf import PdfReader

from app.invoices import pdf
from app.invoices.pdf_sample import SAMPLE_RATES as RATES
from app.invoices.pdf_sample import SAMPLE_SELLER as SELLER
from app.invoices.pdf_sample import sample_invoice as make_invoice
from app.invoices.storage import LocalStorage, NotFound, StorageError, get_storage
from app.core.money import format_amount
from app.tax import treatments
from app.tax.treatments import EXEMPT, REVERSE_CHARGE, WORDING

RC_BUYER = {"name": "Αθηνά Παπαδοπούλου ΕΠΕ", "email": "ap@example.gr", "tax_id": "EL123456789",
            "is_business": True,
            "address": {"name": "Дмитрий Иванов", "line1": "Οδός Ερμού 10",
                        "postal_code": "10563", "city": "Αθήνα", "country": "GR"}}


def pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# -- content ---------------------------------------------------------------------------

def test_pdf_contains_number_parties_lines_totals_and_breakdown():
    invoice = make_invoice(4)
    data = pdf.render(invoice)
    assert data.startswith(b"%PDF-")
    [text] = pages_text(data)
    assert "Invoice" in text and "INV-2026-000123" in text
    assert "陈伟" in text and "人民路 88号" in text and "上海" in text and "China" in text
    assert "NextGen Market GmbH" in text and "Friedrichstraße 1" in text
    assert "DE123456789" in text and "billing@nextgen.example" in text
    for line in invoice.lines:
        assert line.description in text
    # Totals, formatted from integer minor units.
    for amount in (invoice.subtotal_amount, invoice.tax_amount, invoice.total_amount):
        assert format_amount(amount, "EUR") in text
    assert "2 March 2026" in text and "16 March 2026" in text
    # Tax breakdown: one row per rate with its net base and tax.
    for rate in RATES:
        net = sum(li.net_amount for li in invoice.lines if li.tax_rate == rate)
        tax = sum(li.tax_amount for li in invoice.lines if li.tax_rate == rate)
        pct = f"{int(rate * 100)}%"
        assert re.search(rf"{pct}\s+{re.escape(format_amount(net, 'EUR'))}\s+"
                         rf"{re.escape(format_amount(tax, 'EUR'))}", text), pct
    # Payment instructions: bank details, reference = number, due date.
    assert "Payment instructions" in text
    assert "DE89 3704 0044 0532 0130 00" in text and "COBADEFFXXX" in text
    assert re.search(r"Reference\s+INV-2026-000123", text)
    assert "Page 1 of 1" in text
    assert "Reverse charge" not in text


def test_line_amounts_use_decimal_formatting():
    invoice = make_invoice(1)
    line = invoice.lines[0]  # 1 x 19.99 at 19%
    text = flat(pages_text(pdf.render(invoice))[0])
    assert re.search(r"1 19\.99 19% 19\.99", text)
    assert "23.79 EUR" in text  # 19.99 + round(3.7981)


def test_zero_decimal_currency_and_tax_inclusive_header():
    invoice = make_invoice(2, currency="JPY", inclusive=True)
    text = flat(pages_text(pdf.render(invoice))[0])
    assert format_amount(invoice.total_amount, "JPY") in text
    assert "JPY incl. tax" in text
    assert not re.search(r"\d\.\d\d JPY", text)


def test_non_latin_names_render_with_embedded_fonts():
    names = ["陈伟 (Chén Wěi)", "Αθηνά Παπαδοπούλου", "Дмитрий Иванов", "東京都 渋谷区",
             "김민준", "Zoë Ñúñez-Øster"]
    invoice = make_invoice(descriptions=[f"Gift for {n}" for n in names], buyer=RC_BUYER,
                           reverse_charge=True)
    data = pdf.render(invoice)
    text = pages_text(data)[0]
    for name in names:
        assert name in text
    assert "Αθηνά Παπαδοπούλου ΕΠΕ" in text and "Дмитрий Иванов" in text
    assert "EL123456789" in text
    fonts = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    # TrueType subsets embedded (no reliance on the viewer's fonts).
    assert any("DejaVuSans" in f for f in fonts) and any("DroidSansFallback" in f for f in fonts)
    assert not any(f.lstrip("/") in {"Helvetica", "Times-Roman", "Courier"} for f in fonts)


def test_markup_is_escaped():
    invoice = make_invoice(descriptions=["<b>Bold & brash</b> 5 < 6 > 4"])
    assert "<b>Bold & brash</b> 5 < 6 > 4" in pages_text(pdf.render(invoice))[0]


def test_reverse_charge_note_only_when_set():
    invoice = make_invoice(3, buyer=RC_BUYER, reverse_charge=True)
    with_rc = flat(pages_text(pdf.render(invoice))[0])
    without = pages_text(pdf.render(make_invoice(3)))[0]
    assert with_rc.count(WORDING[REVERSE_CHARGE]) == 1 and "Article 196" in with_rc
    assert "Reverse charge" not in without and "Article 196" not in without
    # Its breakdown is one "Reverse charge" row, not a "0%" rate.
    net = format_amount(invoice.subtotal_amount, "EUR")
    assert f"Reverse charge {net} {format_amount(0, 'EUR')}" in with_rc
    assert not re.search(r"TAX BREAKDOWN.*\b0%", with_rc)


def _with_categories(invoice, categories: dict[int, str]):
    """Lines at the given indexes (0 % lines in the sample) moved to another category."""
    for index, category in categories.items():
        assert invoice.lines[index].tax_rate == 0
        invoice.lines[index].tax_category = category
    return invoice


def _breakdown_row(label: str, lines, sign: int = 1) -> str:
    """The breakdown row as printed; ``sign=-1`` for a credit note (stored negative,
    printed as what it credits)."""
    net, tax = sum(li.net_amount for li in lines), sum(li.tax_amount for li in lines)
    return f"{label} {format_amount(sign * net, 'EUR')} {format_amount(sign * tax, 'EUR')}"


def test_exempt_lines_carry_the_exemption_wording_and_rows_stay_apart():
    invoice = _with_categories(make_invoice(6), {2: "exempt", 5: "zero"})
    text = flat(pages_text(pdf.render(invoice))[0])
    exempt, zero = invoice.lines[2], invoice.lines[5]
    # The wording sits under the exempt line, and only there.
    assert text.count(WORDING[EXEMPT]) == 1
    after = text.split(exempt.description, 1)[1]
    assert after.index(WORDING[EXEMPT]) < after.index(invoice.lines[3].description)
    assert _breakdown_row("Exempt", [exempt]) in text
    assert _breakdown_row("Zero-rated", [zero]) in text
    assert _breakdown_row("19%", [li for li in invoice.lines if li.tax_rate == RATES[0]]) in text
    assert not re.search(r"TAX BREAKDOWN.*\b0% ", text)
    assert WORDING[REVERSE_CHARGE] not in text


def test_no_exemption_wording_without_an_exempt_line():
    text = flat(pages_text(pdf.render(_with_categories(make_invoice(3), {2: "zero"})))[0])
    assert WORDING[EXEMPT] not in text and "Zero-rated" in text


def test_credit_note_keeps_the_wording_and_treatments_of_what_it_credits():
    note = _with_categories(make_invoice(3, kind="credit_note", number="CN-2026-000008"),
                            {2: "exempt"})
    text = flat(pages_text(pdf.render(note))[0])
    assert text.count(WORDING[EXEMPT]) == 1
    assert note.lines[2].net_amount < 0 and _breakdown_row("Exempt", [note.lines[2]], -1) in text
    rc_note = make_invoice(3, kind="credit_note", number="CN-2026-000009", buyer=RC_BUYER,
                           reverse_charge=True)
    rc_text = flat(pages_text(pdf.render(rc_note))[0])
    assert WORDING[REVERSE_CHARGE] in rc_text
    assert _breakdown_row(treatments.LABELS[REVERSE_CHARGE], rc_note.lines, -1) in rc_text


# An amount with a minus sign: "-19.99", but not the hyphen of "CN-2026-000007".
MINUS_AMOUNT = re.compile(r"(?<![A-Za-z0-9])-\d")


def test_credit_note_states_every_amount_as_credited_positive_and_once():
    """Stored negative, a credit note reads as what it credits (as Stripe's do): the
    amount in the box, the totals, the breakdown, every line and the settlement text say
    the same positive amounts, never one sign here and the other there."""
    note = make_invoice(2, kind="credit_note", number="CN-2026-000007",
                        notes="Credit note for INV-2026-000123")
    assert note.total_amount < 0  # stored as the ledger adds it up
    text = flat(pages_text(pdf.render(note))[0])
    assert "Credit note" in text and "CN-2026-000007" in text
    assert "Credit note for INV-2026-000123" in text
    credited = format_amount(-note.total_amount, "EUR")
    assert f"AMOUNT CREDITED {credited}" in text
    assert (f"Subtotal (net) {format_amount(-note.subtotal_amount, 'EUR')} "
            f"Tax {format_amount(-note.tax_amount, 'EUR')} Total credited {credited}") in text
    assert f"The credited amount of {credited} will be refunded" in text
    for line in note.lines:  # quantity, the invoice's unit price, the net credited
        assert (f"{line.quantity} {format_amount(line.unit_amount, 'EUR')[:-4]} "
                f"{int(line.tax_rate * 100)}% {format_amount(-line.net_amount, 'EUR')[:-4]}"
                ) in text, line.description
    for rate in RATES[:2]:
        assert _breakdown_row(f"{int(rate * 100)}%", [li for li in note.lines
                                                      if li.tax_rate == rate], -1) in text
    assert not MINUS_AMOUNT.search(text), MINUS_AMOUNT.search(text)
    assert "Payment instructions" not in text and "No payment is due" in text
    assert not re.search(r"\bInvoice no\.", text)


def test_invoice_amounts_are_unchanged_by_the_credit_note_convention():
    invoice = make_invoice(2)
    text = flat(pages_text(pdf.render(invoice))[0])
    total = format_amount(invoice.total_amount, "EUR")
    assert f"AMOUNT DUE {total}" in text and f"Total {total}" in text
    assert not MINUS_AMOUNT.search(text)


def test_credit_note_names_the_invoice_it_corrects_with_its_date_written_like_the_others():
    invoice = make_invoice(2)
    note = make_invoice(2, kind="credit_note", number="CN-2026-000007")
    note.credit_note_for = invoice
    text = flat(pages_text(pdf.render(note))[0])
    assert "Issue date 2 March 2026" in text
    assert "Corrects INV-2026-000123 of 2 March 2026" in text
    assert "This credit note corrects invoice INV-2026-000123 of 2 March 2026. No payment" in text
    assert "2026-03-02" not in text


def test_draft_is_marked():
    text = flat(pages_text(pdf.render(make_invoice(2, number=None)))[0])
    assert "DRAFT" in text and "please do not pay it" in text
    assert "IBAN" not in text


# -- pagination ------------------------------------------------------------------------

def test_200_lines_paginate_with_header_and_page_numbers_on_every_page():
    invoice = make_invoice(200)
    pages = pages_text(pdf.render(invoice))
    total = len(pages)
    assert total >= 4
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text
        assert "INV-2026-000123" in text  # title block on page 1, running header after
        if "Line item" in text:
            assert "Description" in text and "Net amount" in text  # the repeated header
    assert sum("Line item" in text for text in pages) >= 4
    everything = "\n".join(pages)
    for line in invoice.lines:  # every line exactly once: nothing lost or doubled at a break
        assert everything.count(line.description) == 1, line.description
    # The totals share a page with the last lines (never stranded on a page of their own).
    [totals_page] = [t for t in pages if f"Total {format_amount(invoice.total_amount, 'EUR')}"
                     in flat(t)]
    assert invoice.lines[-1].description in totals_page
    assert "Payment instructions" in "\n".join(pages[pages.index(totals_page):])


@pytest.mark.parametrize("n_lines", range(20, 80, 3))
def test_totals_stay_with_the_last_lines_at_every_page_break(n_lines):
    invoice = make_invoice(n_lines)
    pages = pages_text(pdf.render(invoice))
    totals = format_amount(invoice.total_amount, "EUR")
    [totals_page] = [t for t in pages if f"Total {totals}" in flat(t)]
    assert invoice.lines[-1].description in totals_page
    assert all(f"of {len(pages)}" in t for t in pages)


def test_long_descriptions_wrap_inside_the_page():
    long = "Very long description " * 30
    invoice = make_invoice(descriptions=[long.strip(), "short"])
    reader = PdfReader(io.BytesIO(pdf.render(invoice)))
    assert len(reader.pages) == 1
    assert "short" in reader.pages[0].extract_text()


# -- determinism and independence ---------------------------------------------------------

def test_same_invoice_renders_identical_bytes():
    first = pdf.render(make_invoice(30, buyer=RC_BUYER, reverse_charge=True))
    second = pdf.render(make_invoice(30, buyer=RC_BUYER, reverse_charge=True))
    assert first == second
    # The PDF dates are the invoice's own finalisation time, not the render time.
    assert b"D:20260302093000+00'00'" in first
    assert pdf.render(make_invoice(30)) != first


def test_render_needs_no_app_context_or_database():
    assert not has_app_context()
    assert pdf.render(make_invoice(2)).startswith(b"%PDF-")


def test_seller_from_configuration_when_not_snapshotted(app, monkeypatch):
    monkeypatch.setitem(app.config, "SELLER_NAME", "Config Seller AG")
    text = pages_text(pdf.render(make_invoice(1, seller=None)))[0]
    assert "Config Seller AG" in text


def test_logo_is_drawn_and_a_missing_logo_is_skipped(tmp_path):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 90), (31, 58, 95)).save(logo)
    with_logo = pdf.render(make_invoice(1, seller={**SELLER, "logo_path": str(logo)}))
    page = PdfReader(io.BytesIO(with_logo)).pages[0]
    assert any(x.get_object()["/Subtype"] == "/Image"
               for x in page["/Resources"]["/XObject"].values())
    missing = pdf.render(make_invoice(1, seller={**SELLER, "logo_path": str(tmp_path / "no.png")}))
    assert "INV-2026-000123" in pages_text(missing)[0]


# -- storage ---------------------------------------------------------------------------

def test_local_storage_round_trip(tmp_path):
    storage = LocalStorage(tmp_path / "store")
    key = "INV/INV-2026-000123.pdf"
    assert not storage.exists(key)
    assert storage.save(key, b"%PDF-1 first") == key
    assert storage.exists(key)
    storage.save(key, b"%PDF-1 second")  # overwrite
    with storage.open(key) as handle:
        assert handle.read() == b"%PDF-1 second"
    assert storage.save_file("exports/a.zip", io.BytesIO(b"z" * 3_000_000)) == "exports/a.zip"
    with storage.open("exports/a.zip") as handle:
        assert len(handle.read()) == 3_000_000
    assert [p.name for p in (tmp_path / "store" / "INV").iterdir()] == ["INV-2026-000123.pdf"]
    storage.delete(key)
    storage.delete(key)  # idempotent
    assert not storage.exists(key)
    with pytest.raises(NotFound):
        storage.open(key)
    with pytest.raises(FileNotFoundError):  # NotFound is also a FileNotFoundError
        storage.open(key)


def test_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    storage = LocalStorage(tmp_path)
    storage.save("INV/x.pdf", b"old")

    class Broken(io.RawIOBase):
        def readinto(self, buffer):
            raise OSError("disk on fire")

    with pytest.raises(OSError, match="disk on fire"):
        storage.save_file("INV/x.pdf", Broken())
    with storage.open("INV/x.pdf") as handle:
        assert handle.read() == b"old"
    assert [p.name for p in (tmp_path / "INV").iterdir()] == ["x.pdf"]


@pytest.mark.parametrize("key", ["../escape.pdf", "/etc/passwd", "INV/../../x", ".hidden",
                                 "INV/.tmp-x", "a\\b", "", "INV//x.pdf", "INV/x.pdf/"])
def test_storage_rejects_unsafe_keys(tmp_path, key):
    storage = LocalStorage(tmp_path)
    with pytest.raises(StorageError):
        storage.save(key, b"x")


def test_get_storage_follows_configuration(tmp_path):
    import config

    cfg = config.load(env={"APP_ENV": "testing", "SECRET_KEY": "x",
                           "INSTANCE_PATH": str(tmp_path / "instance")})
    assert cfg["INVOICE_STORAGE_BACKEND"] == "local"
    assert cfg["INVOICE_STORAGE_DIR"] == str(tmp_path / "instance" / "invoices")
    assert cfg["SELLER_ADDRESS"]["country"] == cfg["SELLER_COUNTRY"] == "DE"

    app = SimpleNamespace(config={**cfg, "INVOICE_STORAGE_DIR": str(tmp_path / "pdfs")},
                          extensions={})
    storage = get_storage(app)
    assert isinstance(storage, LocalStorage) and storage.root == (tmp_path / "pdfs").resolve()
    assert get_storage(app) is storage  # built once per app
    storage.save("INV/a.pdf", b"x")
    assert (tmp_path / "pdfs" / "INV" / "a.pdf").read_bytes() == b"x"

    bad = SimpleNamespace(config={"INVOICE_STORAGE_BACKEND": "s3"}, extensions={})
    with pytest.raises(StorageError, match="Unknown INVOICE_STORAGE_BACKEND"):
        get_storage(bad)
