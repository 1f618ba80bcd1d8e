"""What a credit note may credit: the remaining amounts of an invoice's lines, by lines
and quantities, or a gross amount spread over the lines in proportion (largest
remainder: exact to the minor unit). Whatever the sequence of partial notes, the last
one credits exactly what is left, and never more."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from app.core.errors import Conflict, InvalidInput
from app.core.types import as_uuid
from app.extensions import db
from app.invoices.models import Invoice, InvoiceLine
from app.tax.calculate import round_half_up


@dataclass(frozen=True)
class Taken:
    quantity: int = 0
    net: int = 0
    tax: int = 0


@dataclass(frozen=True)
class Part:
    line: InvoiceLine  # the original's line
    quantity: int  # units returned; 0 for a reduction by amount
    net: int  # positive: what this part credits
    tax: int


def credited_by_line(invoice_id) -> dict:
    """{original line id: Taken} over the invoice's credit notes (positive sums)."""
    note = InvoiceLine.__table__.alias("note_line")
    rows = db.session.execute(
        select(note.c.credits_line_id, func.sum(note.c.quantity), func.sum(note.c.net_amount),
               func.sum(note.c.tax_amount))
        .join(Invoice, Invoice.id == note.c.invoice_id)
        .where(Invoice.credit_note_for_id == invoice_id, Invoice.status != "cancelled",
               note.c.credits_line_id.is_not(None))
        .group_by(note.c.credits_line_id))
    return {line_id: Taken(int(qty or 0), -int(net or 0), -int(tax or 0))
            for line_id, qty, net, tax in rows}


def _remaining(line: InvoiceLine, taken: dict) -> tuple[int, int, int]:
    done = taken.get(line.id, Taken())
    return line.quantity - done.quantity, line.net_amount - done.net, line.tax_amount - done.tax


def plan(invoice: Invoice, taken: dict, *, lines: list | None = None,
         amount: int | None = None, exact: list | None = None) -> list[Part]:
    """``exact``: parts planned earlier ([{line_id, quantity, net, tax}], a refund of
    returned lines), credited as they are if they still fit what is left."""
    if lines is not None and amount is not None:
        raise InvalidInput("Credit by lines or by amount, not both.",
                           errors={"amount": ["Not with lines."]})
    if exact is not None:
        parts = _exact(invoice, taken, exact)
    elif lines is not None:
        parts = _by_lines(invoice, taken, lines)
    elif amount is not None:
        parts = _by_amount(invoice, taken, amount)
    else:
        parts = [Part(line, qty, net, tax) for line in invoice.lines
                 for qty, net, tax in [_remaining(line, taken)] if net or tax]
    if not parts or not any(p.net or p.tax for p in parts):
        raise Conflict("Nothing is left to credit on this invoice.",
                       errors={"amount_credited": ["The whole total is credited."]})
    return parts


def _by_lines(invoice: Invoice, taken: dict, wanted: list) -> list[Part]:
    by_id = {line.id: line for line in invoice.lines}
    if not isinstance(wanted, list) or not wanted:
        raise InvalidInput("Name at least one line.", errors={"lines": ["Required."]})
    parts, errors, seen = [], {}, set()
    for i, item in enumerate(wanted):
        ident = as_uuid(item.get("line_id")) if isinstance(item, dict) else None
        qty = item.get("quantity") if isinstance(item, dict) else None
        line = by_id.get(ident)
        if line is None or ident in seen:
            errors[str(i)] = {"line_id": ["Not a line of this invoice, or named twice."]}
            continue
        seen.add(ident)
        left_qty, left_net, left_tax = _remaining(line, taken)
        if not isinstance(qty, int) or isinstance(qty, bool) or not 1 <= qty <= left_qty:
            errors[str(i)] = {"quantity": [f"A whole number from 1 to {left_qty} (not yet "
                                           "credited)." if left_qty else "All credited."]}
            continue
        if qty == left_qty:
            net, tax = left_net, left_tax
        else:
            net = round_half_up(Decimal(left_net) * qty / left_qty)
            tax = round_half_up(Decimal(left_tax) * qty / left_qty)
        parts.append(Part(line, qty, net, tax))
    if errors:
        raise InvalidInput("Some lines cannot be credited.", errors={"lines": errors})
    return parts


def _exact(invoice: Invoice, taken: dict, wanted: list) -> list[Part]:
    by_id = {line.id: line for line in invoice.lines}
    parts = []
    for item in wanted:
        line = by_id.get(as_uuid(item["line_id"]))
        if line is None:
            raise Conflict("A planned line is not on this invoice.")
        left_qty, left_net, left_tax = _remaining(line, taken)
        qty, net, tax = item["quantity"], item["net"], item["tax"]
        if not (0 <= qty <= left_qty and 0 <= net <= left_net and 0 <= tax <= left_tax):
            raise Conflict("The planned lines are no longer left to credit.",
                           errors={"lines": ["Credited meanwhile."]})
        parts.append(Part(line, qty, net, tax))
    return parts


def _by_amount(invoice: Invoice, taken: dict, amount) -> list[Part]:
    left = [(line, *_remaining(line, taken)[1:]) for line in invoice.lines]
    left = [(line, net, tax) for line, net, tax in left if net + tax > 0]
    available = sum(net + tax for _, net, tax in left)
    if not isinstance(amount, int) or isinstance(amount, bool) or not 1 <= amount <= available:
        raise InvalidInput("The amount is more than is left to credit." if available else
                           "Nothing is left to credit.",
                           errors={"amount": [f"From 1 to {available} (minor units, gross)."]})
    shares = _largest_remainder(amount, [net + tax for _, net, tax in left])
    parts = []
    for (line, net_left, tax_left), share in zip(left, shares):
        if not share:
            continue
        if share == net_left + tax_left:
            tax = tax_left
        else:
            tax = round_half_up(Decimal(tax_left) * share / (net_left + tax_left))
            tax = min(max(tax, share - net_left, 0), tax_left, share)
        parts.append(Part(line, 0, share - tax, tax))
    return parts


def _largest_remainder(total: int, weights: list[int]) -> list[int]:
    """``total`` split in proportion to ``weights``, summing exactly to it."""
    whole = sum(weights)
    raw = [(total * w // whole, total * w % whole) for w in weights]
    shares = [q for q, _ in raw]
    short = total - sum(shares)
    for i in sorted(range(len(raw)), key=lambda i: -raw[i][1])[:short]:
        shares[i] += 1
    return shares
