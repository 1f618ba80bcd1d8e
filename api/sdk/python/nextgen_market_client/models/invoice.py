from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.invoice_kind import InvoiceKind
from ..models.invoice_series import InvoiceSeries
from ..models.invoice_status import InvoiceStatus
from ..models.pdf_status import PdfStatus
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.invoice_buyer import InvoiceBuyer
  from ..models.invoice_line import InvoiceLine





T = TypeVar("T", bound="Invoice")



@_attrs_define
class Invoice:
    """ 
        Attributes:
            id (UUID | Unset): The invoice's id
            kind (InvoiceKind | Unset): An invoice, or a credit note for one.
            series (InvoiceSeries | Unset): Numbering series: INV for invoices, CN for credit notes.
            number (None | str | Unset): Gapless number within the series and year; null on a draft Example:
                INV-2026-000042.
            status (InvoiceStatus | Unset): An invoice's state: draft -> finalised -> sent -> paid; open invoices become
                credited when fully credited, cancelled when voided.
            customer_id (None | Unset | UUID): The end user it belongs to, or null
            order_id (None | Unset | UUID): The order it bills, or null
            credit_note_for_id (None | Unset | UUID): On a credit note: the invoice it credits
            currency (str | Unset): ISO 4217 currency code of every amount Example: EUR.
            tax_inclusive (bool | Unset): Whether line unit amounts include tax
            reverse_charge (bool | Unset): Tax is due from the business buyer (EU reverse charge)
            buyer (InvoiceBuyer | Unset): The buyer as on the invoice (see InvoiceCreate.buyer) Example: {'name': 'Acme
                GmbH', 'email': 'billing@acme.example', 'tax_id': None, 'is_business': True, 'address': {'name': 'Acme GmbH',
                'line1': 'Friedrichstr. 68', 'line2': None, 'city': 'Berlin', 'region': None, 'postal_code': '10117', 'country':
                'DE'}}.
            notes (str | Unset): Free text printed on the invoice Example: Thank you!.
            subtotal_amount (int | Unset): Sum of line nets, integer minor units of `currency` (cents for EUR) Example:
                36000.
            tax_amount (int | Unset): Sum of line taxes, integer minor units of `currency` (cents for EUR) Example: 6840.
            total_amount (int | Unset): Subtotal + tax, integer minor units of `currency` (cents for EUR) Example: 42840.
            amount_paid (int | Unset): Received, integer minor units of `currency` (cents for EUR) Example: 0.
            amount_credited (int | Unset): Sum of its credit notes (never above the total), integer minor units of
                `currency` (cents for EUR) Example: 0.
            amount_due (int | Unset): Still to pay: total - paid - credited while open, else 0, integer minor units of
                `currency` (cents for EUR) Example: 42840.
            payment_reference (None | str | Unset): The payment's reference (e.g. the bank transfer's), once paid
            issue_date (datetime.date | None | Unset): ISO 8601 date (the seller's calendar day) of issue; null on a draft
            tax_date (datetime.date | None | Unset): ISO 8601 date (the seller's calendar day) of supply, whose rates apply
            due_date (datetime.date | None | Unset): ISO 8601 date (the seller's calendar day) by which to pay
            pdf_status (PdfStatus | Unset): Whether the document's PDF can be downloaded yet (`ready`).
            lines (list[InvoiceLine] | Unset): The lines, by position
            created_at (datetime.datetime | Unset): RFC 3339 timestamp (UTC) of creation
            finalised_at (datetime.datetime | None | Unset): RFC 3339 timestamp (UTC) when it was finalised
            sent_at (datetime.datetime | None | Unset): RFC 3339 timestamp (UTC) when it was sent
            paid_at (datetime.datetime | None | Unset): RFC 3339 timestamp (UTC) when it was paid
            cancelled_at (datetime.datetime | None | Unset): RFC 3339 timestamp (UTC) when it was voided
     """

    id: UUID | Unset = UNSET
    kind: InvoiceKind | Unset = UNSET
    series: InvoiceSeries | Unset = UNSET
    number: None | str | Unset = UNSET
    status: InvoiceStatus | Unset = UNSET
    customer_id: None | Unset | UUID = UNSET
    order_id: None | Unset | UUID = UNSET
    credit_note_for_id: None | Unset | UUID = UNSET
    currency: str | Unset = UNSET
    tax_inclusive: bool | Unset = UNSET
    reverse_charge: bool | Unset = UNSET
    buyer: InvoiceBuyer | Unset = UNSET
    notes: str | Unset = UNSET
    subtotal_amount: int | Unset = UNSET
    tax_amount: int | Unset = UNSET
    total_amount: int | Unset = UNSET
    amount_paid: int | Unset = UNSET
    amount_credited: int | Unset = UNSET
    amount_due: int | Unset = UNSET
    payment_reference: None | str | Unset = UNSET
    issue_date: datetime.date | None | Unset = UNSET
    tax_date: datetime.date | None | Unset = UNSET
    due_date: datetime.date | None | Unset = UNSET
    pdf_status: PdfStatus | Unset = UNSET
    lines: list[InvoiceLine] | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    finalised_at: datetime.datetime | None | Unset = UNSET
    sent_at: datetime.datetime | None | Unset = UNSET
    paid_at: datetime.datetime | None | Unset = UNSET
    cancelled_at: datetime.datetime | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.invoice_buyer import InvoiceBuyer # noqa: PLC0415
        from ..models.invoice_line import InvoiceLine # noqa: PLC0415
        id: str | Unset = UNSET
        if not isinstance(self.id, Unset):
            id = str(self.id)

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value


        series: str | Unset = UNSET
        if not isinstance(self.series, Unset):
            series = self.series.value


        number: None | str | Unset
        if isinstance(self.number, Unset):
            number = UNSET
        else:
            number = self.number

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value


        customer_id: None | str | Unset
        if isinstance(self.customer_id, Unset):
            customer_id = UNSET
        elif isinstance(self.customer_id, UUID):
            customer_id = str(self.customer_id)
        else:
            customer_id = self.customer_id

        order_id: None | str | Unset
        if isinstance(self.order_id, Unset):
            order_id = UNSET
        elif isinstance(self.order_id, UUID):
            order_id = str(self.order_id)
        else:
            order_id = self.order_id

        credit_note_for_id: None | str | Unset
        if isinstance(self.credit_note_for_id, Unset):
            credit_note_for_id = UNSET
        elif isinstance(self.credit_note_for_id, UUID):
            credit_note_for_id = str(self.credit_note_for_id)
        else:
            credit_note_for_id = self.credit_note_for_id

        currency = self.currency

        tax_inclusive = self.tax_inclusive

        reverse_charge = self.reverse_charge

        buyer: dict[str, Any] | Unset = UNSET
        if not isinstance(self.buyer, Unset):
            buyer = self.buyer.to_dict()

        notes = self.notes

        subtotal_amount = self.subtotal_amount

        tax_amount = self.tax_amount

        total_amount = self.total_amount

        amount_paid = self.amount_paid

        amount_credited = self.amount_credited

        amount_due = self.amount_due

        payment_reference: None | str | Unset
        if isinstance(self.payment_reference, Unset):
            payment_reference = UNSET
        else:
            payment_reference = self.payment_reference

        issue_date: None | str | Unset
        if isinstance(self.issue_date, Unset):
            issue_date = UNSET
        elif isinstance(self.issue_date, datetime.date):
            issue_date = self.issue_date.isoformat()
        else:
            issue_date = self.issue_date

        tax_date: None | str | Unset
        if isinstance(self.tax_date, Unset):
            tax_date = UNSET
        elif isinstance(self.tax_date, datetime.date):
            tax_date = self.tax_date.isoformat()
        else:
            tax_date = self.tax_date

        due_date: None | str | Unset
        if isinstance(self.due_date, Unset):
            due_date = UNSET
        elif isinstance(self.due_date, datetime.date):
            due_date = self.due_date.isoformat()
        else:
            due_date = self.due_date

        pdf_status: str | Unset = UNSET
        if not isinstance(self.pdf_status, Unset):
            pdf_status = self.pdf_status.value


        lines: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.lines, Unset):
            lines = []
            for lines_item_data in self.lines:
                lines_item = lines_item_data.to_dict()
                lines.append(lines_item)



        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        finalised_at: None | str | Unset
        if isinstance(self.finalised_at, Unset):
            finalised_at = UNSET
        elif isinstance(self.finalised_at, datetime.datetime):
            finalised_at = self.finalised_at.isoformat()
        else:
            finalised_at = self.finalised_at

        sent_at: None | str | Unset
        if isinstance(self.sent_at, Unset):
            sent_at = UNSET
        elif isinstance(self.sent_at, datetime.datetime):
            sent_at = self.sent_at.isoformat()
        else:
            sent_at = self.sent_at

        paid_at: None | str | Unset
        if isinstance(self.paid_at, Unset):
            paid_at = UNSET
        elif isinstance(self.paid_at, datetime.datetime):
            paid_at = self.paid_at.isoformat()
        else:
            paid_at = self.paid_at

        cancelled_at: None | str | Unset
        if isinstance(self.cancelled_at, Unset):
            cancelled_at = UNSET
        elif isinstance(self.cancelled_at, datetime.datetime):
            cancelled_at = self.cancelled_at.isoformat()
        else:
            cancelled_at = self.cancelled_at


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if id is not UNSET:
            field_dict["id"] = id
        if kind is not UNSET:
            field_dict["kind"] = kind
        if series is not UNSET:
            field_dict["series"] = series
        if number is not UNSET:
            field_dict["number"] = number
        if status is not UNSET:
            field_dict["status"] = status
        if customer_id is not UNSET:
            field_dict["customer_id"] = customer_id
        if order_id is not UNSET:
            field_dict["order_id"] = order_id
        if credit_note_for_id is not UNSET:
            field_dict["credit_note_for_id"] = credit_note_for_id
        if currency is not UNSET:
            field_dict["currency"] = currency
        if tax_inclusive is not UNSET:
            field_dict["tax_inclusive"] = tax_inclusive
        if reverse_charge is not UNSET:
            field_dict["reverse_charge"] = reverse_charge
        if buyer is not UNSET:
            field_dict["buyer"] = buyer
        if notes is not UNSET:
            field_dict["notes"] = notes
        if subtotal_amount is not UNSET:
            field_dict["subtotal_amount"] = subtotal_amount
        if tax_amount is not UNSET:
            field_dict["tax_amount"] = tax_amount
        if total_amount is not UNSET:
            field_dict["total_amount"] = total_amount
        if amount_paid is not UNSET:
            field_dict["amount_paid"] = amount_paid
        if amount_credited is not UNSET:
            field_dict["amount_credited"] = amount_credited
        if amount_due is not UNSET:
            field_dict["amount_due"] = amount_due
        if payment_reference is not UNSET:
            field_dict["payment_reference"] = payment_reference
        if issue_date is not UNSET:
            field_dict["issue_date"] = issue_date
        if tax_date is not UNSET:
            field_dict["tax_date"] = tax_date
        if due_date is not UNSET:
            field_dict["due_date"] = due_date
        if pdf_status is not UNSET:
            field_dict["pdf_status"] = pdf_status
        if lines is not UNSET:
            field_dict["lines"] = lines
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if finalised_at is not UNSET:
            field_dict["finalised_at"] = finalised_at
        if sent_at is not UNSET:
            field_dict["sent_at"] = sent_at
        if paid_at is not UNSET:
            field_dict["paid_at"] = paid_at
        if cancelled_at is not UNSET:
            field_dict["cancelled_at"] = cancelled_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.invoice_buyer import InvoiceBuyer # noqa: PLC0415
        from ..models.invoice_line import InvoiceLine # noqa: PLC0415
        d = dict(src_dict)
        _id = d.pop("id", UNSET)
        id: UUID | Unset
        if isinstance(_id,  Unset):
            id = UNSET
        else:
            id = UUID(_id)




        _kind = d.pop("kind", UNSET)
        kind: InvoiceKind | Unset
        if isinstance(_kind,  Unset):
            kind = UNSET
        else:
            kind = InvoiceKind(_kind)




        _series = d.pop("series", UNSET)
        series: InvoiceSeries | Unset
        if isinstance(_series,  Unset):
            series = UNSET
        else:
            series = InvoiceSeries(_series)




        def _parse_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        number = _parse_number(d.pop("number", UNSET))


        _status = d.pop("status", UNSET)
        status: InvoiceStatus | Unset
        if isinstance(_status,  Unset):
            status = UNSET
        else:
            status = InvoiceStatus(_status)




        def _parse_customer_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                customer_id_type_0 = UUID(data)



                return customer_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        customer_id = _parse_customer_id(d.pop("customer_id", UNSET))


        def _parse_order_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                order_id_type_0 = UUID(data)



                return order_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        order_id = _parse_order_id(d.pop("order_id", UNSET))


        def _parse_credit_note_for_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                credit_note_for_id_type_0 = UUID(data)



                return credit_note_for_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        credit_note_for_id = _parse_credit_note_for_id(d.pop("credit_note_for_id", UNSET))


        currency = d.pop("currency", UNSET)

        tax_inclusive = d.pop("tax_inclusive", UNSET)

        reverse_charge = d.pop("reverse_charge", UNSET)

        _buyer = d.pop("buyer", UNSET)
        buyer: InvoiceBuyer | Unset
        if isinstance(_buyer,  Unset):
            buyer = UNSET
        else:
            buyer = InvoiceBuyer.from_dict(_buyer)




        notes = d.pop("notes", UNSET)

        subtotal_amount = d.pop("subtotal_amount", UNSET)

        tax_amount = d.pop("tax_amount", UNSET)

        total_amount = d.pop("total_amount", UNSET)

        amount_paid = d.pop("amount_paid", UNSET)

        amount_credited = d.pop("amount_credited", UNSET)

        amount_due = d.pop("amount_due", UNSET)

        def _parse_payment_reference(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        payment_reference = _parse_payment_reference(d.pop("payment_reference", UNSET))


        def _parse_issue_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                issue_date_type_0 = datetime.date.fromisoformat(data)



                return issue_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        issue_date = _parse_issue_date(d.pop("issue_date", UNSET))


        def _parse_tax_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                tax_date_type_0 = datetime.date.fromisoformat(data)



                return tax_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        tax_date = _parse_tax_date(d.pop("tax_date", UNSET))


        def _parse_due_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_date_type_0 = datetime.date.fromisoformat(data)



                return due_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        due_date = _parse_due_date(d.pop("due_date", UNSET))


        _pdf_status = d.pop("pdf_status", UNSET)
        pdf_status: PdfStatus | Unset
        if isinstance(_pdf_status,  Unset):
            pdf_status = UNSET
        else:
            pdf_status = PdfStatus(_pdf_status)




        _lines = d.pop("lines", UNSET)
        lines: list[InvoiceLine] | Unset = UNSET
        if _lines is not UNSET:
            lines = []
            for lines_item_data in _lines:
                lines_item = InvoiceLine.from_dict(lines_item_data)



                lines.append(lines_item)


        _created_at = d.pop("created_at", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at,  Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)




        def _parse_finalised_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finalised_at_type_0 = datetime.datetime.fromisoformat(data)



                return finalised_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        finalised_at = _parse_finalised_at(d.pop("finalised_at", UNSET))


        def _parse_sent_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sent_at_type_0 = datetime.datetime.fromisoformat(data)



                return sent_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        sent_at = _parse_sent_at(d.pop("sent_at", UNSET))


        def _parse_paid_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                paid_at_type_0 = datetime.datetime.fromisoformat(data)



                return paid_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        paid_at = _parse_paid_at(d.pop("paid_at", UNSET))


        def _parse_cancelled_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                cancelled_at_type_0 = datetime.datetime.fromisoformat(data)



                return cancelled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        cancelled_at = _parse_cancelled_at(d.pop("cancelled_at", UNSET))


        invoice = cls(
            id=id,
            kind=kind,
            series=series,
            number=number,
            status=status,
            customer_id=customer_id,
            order_id=order_id,
            credit_note_for_id=credit_note_for_id,
            currency=currency,
            tax_inclusive=tax_inclusive,
            reverse_charge=reverse_charge,
            buyer=buyer,
            notes=notes,
            subtotal_amount=subtotal_amount,
            tax_amount=tax_amount,
            total_amount=total_amount,
            amount_paid=amount_paid,
            amount_credited=amount_credited,
            amount_due=amount_due,
            payment_reference=payment_reference,
            issue_date=issue_date,
            tax_date=tax_date,
            due_date=due_date,
            pdf_status=pdf_status,
            lines=lines,
            created_at=created_at,
            finalised_at=finalised_at,
            sent_at=sent_at,
            paid_at=paid_at,
            cancelled_at=cancelled_at,
        )

        return invoice

