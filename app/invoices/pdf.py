"""Invoice and credit-note PDFs with ReportLab.

``render(invoice)`` reads only the attributes of the invoice it is given (and its
``lines``) and returns the PDF bytes. It never queries the database: the caller passes an
invoice loaded with its lines (``selectinload(Invoice.lines)``), so a job can measure
"database read + render" against a direct render of the same object.

Deterministic: ReportLab runs in invariant mode (fixed document id) and the PDF's
CreationDate/ModDate are the invoice's own finalisation time (or issue date), so the same
invoice always renders to the same bytes.

Layout (A4): seller and document title/number/dates; buyer and amount due; the lines
table (its header repeated on every page); tax breakdown per treatment and rate, and
totals; the reverse-charge statement when it applies (and the exemption wording under each
exempt line), worded by app.tax.treatments; notes; payment instructions. Every page has a
footer with the seller's identity and "Page X of Y"; pages after the first carry a running
header with the document number.
"""
from __future__ import annotations

import io
import logging
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (BaseDocTemplate, Frame, Image, KeepTogether, PageTemplate,
                                Paragraph, Spacer, Table, TableStyle)

from app.core.clock import business_date
from app.invoices import pdf_fonts, rules
from app.invoices.pdf_fonts import SANS, SANS_BOLD, markup
from app.invoices.pdf_layout import (ACCENT, BAND, CONTENT_WIDTH, CONTINUATION_HEADER,
                                     LINE_COLUMNS, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, MUTED,
                                     LANGUAGE, PAGE_HEIGHT, PAGE_WIDTH, RULE, STYLES,
                                     WATERMARK, address_lines, iban, long_date, money,
                                     number, one_line_address, percent)
from app.tax import treatments

log = logging.getLogger(__name__)

TITLES = {"invoice": "Invoice", "credit_note": "Credit note"}
LOGO_MAX_WIDTH, LOGO_MAX_HEIGHT = 50 * mm, 16 * mm


def render(invoice, *, seller: dict | None = None) -> bytes:
    """The PDF of ``invoice`` (an Invoice with its lines loaded) as bytes.

    Seller details come from ``seller``, else the invoice's snapshot (set at finalisation),
    else the current configuration (needs an app context)."""
    pdf_fonts.register()
    seller = seller or invoice.seller or _configured_seller()
    return _Document(invoice, seller).build()


def _configured_seller() -> dict:
    from app.invoices.parties import seller  # app context needed; imported on use only

    return seller()


def _p(text, style: str = "body") -> Paragraph:
    return Paragraph(markup(text), STYLES[style])


def _pdf_date(value: datetime | date | None):
    """A fixed PDF date formatter (CreationDate/ModDate) from the invoice's own dates."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc)
        stamp = value.strftime("%Y%m%d%H%M%S")
    else:
        stamp = value.strftime("%Y%m%d") + "000000"
    text = f"D:{stamp}+00'00'"
    return lambda *_: text


class _NumberedCanvas(Canvas):
    """Holds every page until the end, then stamps "Page X of Y" on each."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for index, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFillColor(MUTED)
            pdf_fonts.draw_string(self, PAGE_WIDTH - MARGIN_X, 12 * mm,
                                  f"Page {index} of {total}", 7.5, align="right")
            super().showPage()
        super().save()


class _Document:
    def __init__(self, invoice, seller: dict):
        self.inv = invoice
        self.seller = seller or {}
        self.buyer = invoice.buyer or {}
        self.kind = invoice.kind or "invoice"
        self.currency = invoice.currency
        self.title = TITLES.get(self.kind, "Invoice")
        self.number = invoice.number
        self.is_draft = not invoice.number or (invoice.status or "draft") == "draft"
        self.lines = sorted(invoice.lines, key=lambda line: line.position or 0)

    def shown(self, amount: int | None) -> int:
        """The document's amounts as it states them: a credit note's positive
        (app.invoices.rules.shown_amount), so one amount reads the same everywhere on it."""
        return rules.shown_amount(self.kind, amount)

    # -- the document ------------------------------------------------------------------
    def build(self) -> bytes:
        buffer = io.BytesIO()
        label = f"{self.title} {self.number or 'draft'}"
        doc = BaseDocTemplate(
            buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1, pageCompression=1,
            leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM, title=label, author=self.seller.get("name", ""),
            subject=f"{label} for {self.buyer.get('name', '')}",
            creator="NextGen Market", lang=LANGUAGE, initialFontName=SANS)
        body_height = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
        first = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_WIDTH, body_height, id="first",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        later = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_WIDTH, body_height - CONTINUATION_HEADER,
                      id="later", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        doc.addPageTemplates([
            PageTemplate("first", [first], onPage=self._first_page, autoNextPageTemplate="later"),
            PageTemplate("later", [later], onPage=self._later_page),
        ])
        doc.build(self.story(), canvasmaker=_NumberedCanvas)
        return buffer.getvalue()

    def story(self) -> list:
        story = [self.header(), Spacer(1, 9 * mm), self.parties(), Spacer(1, 8 * mm),
                 self.lines_table()]
        if self.inv.reverse_charge:
            story += [Spacer(1, 5 * mm),
                      self.boxed(treatments.WORDING[treatments.REVERSE_CHARGE])]
        if (self.inv.notes or "").strip():
            story += [Spacer(1, 5 * mm),
                      KeepTogether([_p("Notes", "heading"), _p(self.inv.notes.strip())])]
        story += [Spacer(1, 6 * mm), self.payment()]
        return story

    def corrects(self) -> str:
        """A credit note's invoice: "INV-2026-000003 of 2 December 2026", its date written
        as every other date on the page."""
        original = self.inv.credit_note_for
        return f"{original.number} of {long_date(original.issue_date)}"

    # -- blocks ------------------------------------------------------------------------
    def header(self) -> Table:
        s = self.seller
        left = []
        logo = self.logo()
        if logo is not None:
            left += [logo, Spacer(1, 3 * mm)]
        left.append(_p(s.get("name", ""), "seller"))
        details = address_lines(s.get("address"), skip_name=s.get("name"))
        if s.get("tax_id"):
            details.append(f"VAT ID: {s['tax_id']}")
        if s.get("email"):
            details.append(s["email"])
        left.append(_p("\n".join(details), "small"))

        meta = [(f"{self.title} no.", self.number or "DRAFT"),
                ("Issue date", long_date(self.inv.issue_date))]
        if self.kind != "credit_note":
            meta.append(("Due date", long_date(self.inv.due_date)))
            if self.inv.order is not None:
                meta.append(("Order", f"#{self.inv.order.number}"))
        elif self.inv.credit_note_for is not None:
            meta.append(("Corrects", self.corrects()))
        meta.append(("Currency", self.currency))
        meta_table = Table([[_p(k, "meta_label"), _p(v, "meta_value")] for k, v in meta],
                           colWidths=(28 * mm, 44 * mm), hAlign="RIGHT")
        meta_table.setStyle(_table_style([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ("LINEBELOW", (0, 0), (-1, -2), 0.25, RULE),
        ]))
        right = [_p(self.title, "title"), Spacer(1, 4 * mm), meta_table]
        table = Table([[left, right]], colWidths=(CONTENT_WIDTH - 74 * mm, 74 * mm))
        table.setStyle(_plain())
        return table

    def parties(self) -> Table:
        b = self.buyer
        lines = address_lines(b.get("address"), skip_name=b.get("name"))
        extra = []
        if b.get("tax_id"):
            extra.append(f"VAT ID: {b['tax_id']}")
        if b.get("email"):
            extra.append(b["email"])
        buyer = [_p("BILL TO" if self.kind != "credit_note" else "CREDITED TO", "label"),
                 Spacer(1, 1.5 * mm), _p(b.get("name", ""), "party"), _p("\n".join(lines))]
        if extra:
            buyer += [Spacer(1, 1.5 * mm), _p("\n".join(extra), "small")]

        total = self.inv.total_amount or 0
        if self.kind == "credit_note":
            due = [_p("AMOUNT CREDITED", "due_label"),
                   _p(money(self.shown(total), self.currency), "due_amount")]
        elif self.inv.settled_by_payment:
            due = [_p("PAID", "due_label"), _p(money(self.inv.amount_paid, self.currency),
                                               "due_amount")]
            if self.inv.paid_at:
                due.append(_p(f"on {long_date(business_date(self.inv.paid_at))}", "due_date"))
        else:
            due = [_p("AMOUNT DUE", "due_label"), _p(money(total, self.currency), "due_amount")]
            if self.inv.due_date:
                due.append(_p(f"by {long_date(self.inv.due_date)}", "due_date"))
        box = Table([[due]], colWidths=(74 * mm,))
        box.setStyle(_table_style([
            ("BACKGROUND", (0, 0), (-1, -1), BAND),
            ("LINEABOVE", (0, 0), (-1, 0), 1.5, ACCENT),
            ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm), ("RIGHTPADDING", (0, 0), (-1, -1), 4 * mm),
            ("TOPPADDING", (0, 0), (-1, -1), 3 * mm), ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
        ]))
        table = Table([[buyer, box]], colWidths=(CONTENT_WIDTH - 74 * mm, 74 * mm))
        table.setStyle(_plain())
        return table

    def lines_table(self) -> Table:
        cur = self.currency
        unit_note = "incl. tax" if self.inv.tax_inclusive else "excl. tax"
        head = [Paragraph("#", STYLES["th"]), Paragraph("Description", STYLES["th"]),
                Paragraph("Qty", STYLES["th_right"]),
                Paragraph(f"Unit price<br/>{cur} {unit_note}", STYLES["th_right"]),
                Paragraph("Tax<br/>rate", STYLES["th_right"]),
                Paragraph(f"Net amount<br/>{cur}", STYLES["th_right"])]
        rows = [head]
        for index, line in enumerate(self.lines, start=1):
            text = markup(line.description)
            if line.sku:
                text += f'<br/><font size="7" color="#6B7280">SKU {markup(line.sku)}</font>'
            if self._exempt(line):
                wording = markup(treatments.WORDING[treatments.EXEMPT])
                text += f'<br/><font size="7" color="#6B7280">{wording}</font>'
            rows.append([str(index), Paragraph(text, STYLES["cell"]), f"{line.quantity:,}",
                         number(line.unit_amount, cur), percent(line.tax_rate),
                         number(self.shown(line.net_amount), cur)])
        # The summary (tax breakdown and totals) is the table's last row, and it cannot be
        # split from the last lines: the totals never stand alone on a page.
        rows.append([self.summary()] + [""] * (len(LINE_COLUMNS) - 1))
        last_line = len(rows) - 2
        table = Table(rows, colWidths=LINE_COLUMNS, repeatRows=1)
        table.setStyle(_table_style([
            ("FONT", (0, 1), (-1, -1), SANS, 8.5, 10.5),
            ("TEXTCOLOR", (0, 1), (0, -1), MUTED),
            ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
            ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
            ("VALIGN", (0, 1), (-1, -1), "TOP"),
            ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
            ("ROWBACKGROUNDS", (0, 1), (-1, last_line), [None, BAND]),
            ("LINEBELOW", (0, last_line), (-1, last_line), 0.75, ACCENT),
            ("LEFTPADDING", (0, 0), (-1, -1), 2 * mm), ("RIGHTPADDING", (0, 0), (-1, -1), 2 * mm),
            ("TOPPADDING", (0, 0), (-1, -1), 1.6 * mm),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6 * mm),
            ("SPAN", (0, -1), (-1, -1)),
            ("LEFTPADDING", (0, -1), (-1, -1), 0), ("RIGHTPADDING", (0, -1), (-1, -1), 0),
            ("TOPPADDING", (0, -1), (-1, -1), 5 * mm), ("BOTTOMPADDING", (0, -1), (-1, -1), 0),
            ("NOSPLIT", (0, max(1, last_line - 2)), (-1, -1)),
        ]))
        return table

    def _exempt(self, line) -> bool:
        kind = treatments.treatment(line.tax_category, reverse_charge=self.inv.reverse_charge)
        return kind == treatments.EXEMPT

    def breakdown(self) -> list[tuple[str, Decimal, int, int]]:
        return treatments.breakdown(self.lines, reverse_charge=self.inv.reverse_charge)

    def summary(self) -> Table:
        cur = self.currency
        rows = [["Tax rate", "Net base", "Tax"]]
        # A 0 % that is zero-rated, exempt or reverse-charged says which, never just "0%".
        rows += [[percent(rate) if kind == treatments.TAXABLE else treatments.LABELS[kind],
                  money(self.shown(net), cur), money(self.shown(tax), cur)]
                 for kind, rate, net, tax in self.breakdown()]
        breakdown = Table(rows, colWidths=(27 * mm, 33 * mm, 30 * mm), hAlign="LEFT")
        breakdown.setStyle(_table_style([
            ("FONT", (0, 0), (-1, -1), SANS, 8, 10),
            ("FONT", (0, 0), (-1, 0), SANS_BOLD, 7, 9),
            ("TEXTCOLOR", (0, 0), (-1, 0), MUTED),
            ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, RULE),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1.2 * mm),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2 * mm),
        ]))
        left = [_p("TAX BREAKDOWN", "label"), Spacer(1, 1 * mm), breakdown]

        inv = self.inv
        total_label = "Total credited" if self.kind == "credit_note" else "Total"
        totals = Table([
            ["Subtotal (net)", money(self.shown(inv.subtotal_amount), cur)],
            ["Tax", money(self.shown(inv.tax_amount), cur)],
            [total_label, money(self.shown(inv.total_amount), cur)],
        ], colWidths=(34 * mm, 40 * mm), hAlign="RIGHT")
        totals.setStyle(_table_style([
            ("FONT", (0, 0), (-1, -2), SANS, 9, 11),
            ("FONT", (0, -1), (-1, -1), SANS_BOLD, 10.5, 13),
            ("TEXTCOLOR", (0, -1), (-1, -1), ACCENT),
            ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ("LINEABOVE", (0, -1), (-1, -1), 1, ACCENT),
            ("BACKGROUND", (0, -1), (-1, -1), BAND),
            ("LEFTPADDING", (0, 0), (-1, -1), 2 * mm), ("RIGHTPADDING", (0, 0), (-1, -1), 2 * mm),
            ("TOPPADDING", (0, 0), (-1, -1), 1.2 * mm),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2 * mm),
            ("TOPPADDING", (0, -1), (-1, -1), 2 * mm),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 2 * mm),
        ]))
        table = Table([[left, totals]], colWidths=(CONTENT_WIDTH - 74 * mm, 74 * mm))
        table.setStyle(_plain())
        return table

    def boxed(self, text: str) -> Table:
        box = Table([[_p(text, "notice")]], colWidths=(CONTENT_WIDTH,))
        box.setStyle(_table_style([
            ("BOX", (0, 0), (-1, -1), 0.75, ACCENT),
            ("BACKGROUND", (0, 0), (-1, -1), BAND),
            ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm), ("RIGHTPADDING", (0, 0), (-1, -1), 3 * mm),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5 * mm),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5 * mm),
        ]))
        return box

    def payment(self) -> KeepTogether:
        s, cur = self.seller, self.currency
        bank = s.get("bank") or {}
        if self.is_draft:
            return KeepTogether([_p("Payment instructions", "heading"), _p(
                "This is a draft, not a valid invoice: please do not pay it. Payment "
                "details follow with the issued invoice.")])
        reference = self.number
        total = self.inv.total_amount or 0
        if self.kind == "credit_note" or total <= 0:
            heading = "Settlement"
            credited = money(self.shown(total), cur)
            text = (f"No payment is due. The credited amount of {credited} will "
                    f"be refunded or set off against open invoices. Please quote {reference} "
                    "in any correspondence.")
            if self.inv.credit_note_for is not None:
                text = f"This credit note corrects invoice {self.corrects()}. " + text
            return KeepTogether([_p(heading, "heading"), _p(text)])
        if self.inv.settled_by_payment:
            paid_on = long_date(business_date(self.inv.paid_at)) if self.inv.paid_at else ""
            reference = self.inv.payment_reference
            text = (f"Paid in full ({money(self.inv.amount_paid, cur)}) on {paid_on}"
                    + (f", payment reference {reference}" if reference else "")
                    + ". Nothing is due.")
            return KeepTogether([_p("Payment", "heading"), _p(text)])
        text = (f"Please transfer {money(total, cur)} by {long_date(self.inv.due_date)} to the "
                f"account below, quoting {reference} as the payment reference.")
        rows = [("Amount", money(total, cur)), ("Due date", long_date(self.inv.due_date)),
                ("Account holder", bank.get("holder") or s.get("name", "")),
                ("Bank", bank.get("name", "")), ("IBAN", iban(bank.get("iban"))),
                ("BIC", bank.get("bic", "")), ("Reference", reference)]
        rows = [(k, v) for k, v in rows if v]
        details = Table([[_p(k, "meta_label"), _p(v, "body")] for k, v in rows],
                        colWidths=(32 * mm, CONTENT_WIDTH - 32 * mm), hAlign="LEFT")
        details.setStyle(_table_style([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
        ]))
        return KeepTogether([_p("Payment instructions", "heading"), _p(text),
                             Spacer(1, 2.5 * mm), details])

    def logo(self):
        path = self.seller.get("logo_path")
        if not path:
            return None
        try:
            width, height = ImageReader(str(Path(path))).getSize()
        except Exception:  # a missing or unreadable logo must not block the invoice
            log.warning("invoice logo %s could not be read; rendering without it", path)
            return None
        scale = min(LOGO_MAX_WIDTH / width, LOGO_MAX_HEIGHT / height)
        image = Image(str(path), width=width * scale, height=height * scale)
        image.hAlign = "LEFT"
        return image

    # -- page decorations --------------------------------------------------------------
    def _first_page(self, canvas, doc):
        stamp = _pdf_date(self.inv.finalised_at or self.inv.issue_date)
        if stamp is not None:
            canvas.setDateFormatter(stamp)
        self._decorate(canvas)

    def _later_page(self, canvas, doc):
        self._decorate(canvas)
        top = PAGE_HEIGHT - MARGIN_TOP
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        label = f"{self.title} {self.number or 'DRAFT'}"
        pdf_fonts.draw_string(canvas, MARGIN_X, top - 4 * mm, label, 9, base=SANS_BOLD)
        canvas.setFillColor(MUTED)
        pdf_fonts.draw_string(canvas, PAGE_WIDTH - MARGIN_X, top - 4 * mm,
                              f"{self.buyer.get('name', '')} · continued", 8, align="right")
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, top - 6.5 * mm, PAGE_WIDTH - MARGIN_X, top - 6.5 * mm)
        canvas.restoreState()

    def _decorate(self, canvas):
        canvas.saveState()
        if self.is_draft:
            canvas.setFillColor(WATERMARK)
            canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
            canvas.rotate(35)
            canvas.setFont(SANS_BOLD, 110)
            canvas.drawCentredString(0, -35, "DRAFT")
            canvas.rotate(-35)
            canvas.translate(-PAGE_WIDTH / 2, -PAGE_HEIGHT / 2)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, 16 * mm, PAGE_WIDTH - MARGIN_X, 16 * mm)
        canvas.setFillColor(MUTED)
        s = self.seller
        parts = [s.get("name"), one_line_address(s.get("address")),
                 f"VAT ID {s['tax_id']}" if s.get("tax_id") else None]
        pdf_fonts.draw_string(canvas, MARGIN_X, 12 * mm, " · ".join(p for p in parts if p), 7.5)
        canvas.restoreState()


def _table_style(commands: list) -> TableStyle:
    """A TableStyle whose cells default to the embedded font (not Helvetica)."""
    return TableStyle([("FONT", (0, 0), (-1, -1), SANS, 9, 11), *commands])


def _plain() -> TableStyle:
    """A layout-only table: no padding, cells aligned to the top."""
    return _table_style([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ])
