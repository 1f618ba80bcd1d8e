from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.order_status import OrderStatus
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.address import Address
  from ..models.order_line import OrderLine
  from ..models.tax_breakdown import TaxBreakdown





T = TypeVar("T", bound="Order")



@_attrs_define
class Order:
    """ 
        Attributes:
            id (UUID | Unset): The order's id
            number (int | Unset): The order's human number, sequential and unique, shown as #1042 in messages, documents and
                the back office Example: 1042.
            customer_id (UUID | Unset): The user who placed it
            status (OrderStatus | Unset): An order's state: pending_payment -> paid -> fulfilled; pending_payment ->
                cancelled; paid or fulfilled -> refunded (every minor unit paid went back).
            currency (str | Unset): ISO 4217 currency code of every amount Example: EUR.
            tax_inclusive (bool | Unset): Whether unit prices include tax
            subtotal_amount (int | Unset): Sum of line nets, integer minor units of `currency` (cents for EUR) Example:
                2500.
            tax_amount (int | Unset): Sum of line taxes, integer minor units of `currency` (cents for EUR) Example: 475.
            total_amount (int | Unset): What the customer is charged: subtotal + tax, integer minor units of `currency`
                (cents for EUR) Example: 2975.
            tax_breakdown (list[TaxBreakdown] | Unset): Nets and taxes per treatment and rate
            tax_date (datetime.date | None | Unset): The supply date whose rates apply (the seller's calendar day), ISO 8601
                date
            country (str | Unset): ISO 3166-1 alpha-2 code of the country taxed (the shipping address's) Example: DE.
            shipping_address (Address | Unset):
            billing_address (Address | Unset):
            lines (list[OrderLine] | Unset): What was ordered, at the prices then
            created_at (datetime.datetime | Unset): RFC 3339 timestamp (UTC) when it was placed
            updated_at (datetime.datetime | Unset): RFC 3339 timestamp (UTC) of the last change
            paid_at (datetime.datetime | None | Unset): RFC 3339 timestamp (UTC) when it was paid
            fulfilled_at (datetime.datetime | None | Unset): RFC 3339 timestamp (UTC) when it was fulfilled
            cancelled_at (datetime.datetime | None | Unset): RFC 3339 timestamp (UTC) when it was cancelled
            payment_reference (None | str | Unset): The payment's reference, once paid
            under_review (bool | Unset): Held for a manual check before it can be paid or shipped; the customer is told the
                outcome Example: False.
     """

    id: UUID | Unset = UNSET
    number: int | Unset = UNSET
    customer_id: UUID | Unset = UNSET
    status: OrderStatus | Unset = UNSET
    currency: str | Unset = UNSET
    tax_inclusive: bool | Unset = UNSET
    subtotal_amount: int | Unset = UNSET
    tax_amount: int | Unset = UNSET
    total_amount: int | Unset = UNSET
    tax_breakdown: list[TaxBreakdown] | Unset = UNSET
    tax_date: datetime.date | None | Unset = UNSET
    country: str | Unset = UNSET
    shipping_address: Address | Unset = UNSET
    billing_address: Address | Unset = UNSET
    lines: list[OrderLine] | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    updated_at: datetime.datetime | Unset = UNSET
    paid_at: datetime.datetime | None | Unset = UNSET
    fulfilled_at: datetime.datetime | None | Unset = UNSET
    cancelled_at: datetime.datetime | None | Unset = UNSET
    payment_reference: None | str | Unset = UNSET
    under_review: bool | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.address import Address # noqa: PLC0415
        from ..models.order_line import OrderLine # noqa: PLC0415
        from ..models.tax_breakdown import TaxBreakdown # noqa: PLC0415
        id: str | Unset = UNSET
        if not isinstance(self.id, Unset):
            id = str(self.id)

        number = self.number

        customer_id: str | Unset = UNSET
        if not isinstance(self.customer_id, Unset):
            customer_id = str(self.customer_id)

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value


        currency = self.currency

        tax_inclusive = self.tax_inclusive

        subtotal_amount = self.subtotal_amount

        tax_amount = self.tax_amount

        total_amount = self.total_amount

        tax_breakdown: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tax_breakdown, Unset):
            tax_breakdown = []
            for tax_breakdown_item_data in self.tax_breakdown:
                tax_breakdown_item = tax_breakdown_item_data.to_dict()
                tax_breakdown.append(tax_breakdown_item)



        tax_date: None | str | Unset
        if isinstance(self.tax_date, Unset):
            tax_date = UNSET
        elif isinstance(self.tax_date, datetime.date):
            tax_date = self.tax_date.isoformat()
        else:
            tax_date = self.tax_date

        country = self.country

        shipping_address: dict[str, Any] | Unset = UNSET
        if not isinstance(self.shipping_address, Unset):
            shipping_address = self.shipping_address.to_dict()

        billing_address: dict[str, Any] | Unset = UNSET
        if not isinstance(self.billing_address, Unset):
            billing_address = self.billing_address.to_dict()

        lines: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.lines, Unset):
            lines = []
            for lines_item_data in self.lines:
                lines_item = lines_item_data.to_dict()
                lines.append(lines_item)



        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        updated_at: str | Unset = UNSET
        if not isinstance(self.updated_at, Unset):
            updated_at = self.updated_at.isoformat()

        paid_at: None | str | Unset
        if isinstance(self.paid_at, Unset):
            paid_at = UNSET
        elif isinstance(self.paid_at, datetime.datetime):
            paid_at = self.paid_at.isoformat()
        else:
            paid_at = self.paid_at

        fulfilled_at: None | str | Unset
        if isinstance(self.fulfilled_at, Unset):
            fulfilled_at = UNSET
        elif isinstance(self.fulfilled_at, datetime.datetime):
            fulfilled_at = self.fulfilled_at.isoformat()
        else:
            fulfilled_at = self.fulfilled_at

        cancelled_at: None | str | Unset
        if isinstance(self.cancelled_at, Unset):
            cancelled_at = UNSET
        elif isinstance(self.cancelled_at, datetime.datetime):
            cancelled_at = self.cancelled_at.isoformat()
        else:
            cancelled_at = self.cancelled_at

        payment_reference: None | str | Unset
        if isinstance(self.payment_reference, Unset):
            payment_reference = UNSET
        else:
            payment_reference = self.payment_reference

        under_review = self.under_review


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if id is not UNSET:
            field_dict["id"] = id
        if number is not UNSET:
            field_dict["number"] = number
        if customer_id is not UNSET:
            field_dict["customer_id"] = customer_id
        if status is not UNSET:
            field_dict["status"] = status
        if currency is not UNSET:
            field_dict["currency"] = currency
        if tax_inclusive is not UNSET:
            field_dict["tax_inclusive"] = tax_inclusive
        if subtotal_amount is not UNSET:
            field_dict["subtotal_amount"] = subtotal_amount
        if tax_amount is not UNSET:
            field_dict["tax_amount"] = tax_amount
        if total_amount is not UNSET:
            field_dict["total_amount"] = total_amount
        if tax_breakdown is not UNSET:
            field_dict["tax_breakdown"] = tax_breakdown
        if tax_date is not UNSET:
            field_dict["tax_date"] = tax_date
        if country is not UNSET:
            field_dict["country"] = country
        if shipping_address is not UNSET:
            field_dict["shipping_address"] = shipping_address
        if billing_address is not UNSET:
            field_dict["billing_address"] = billing_address
        if lines is not UNSET:
            field_dict["lines"] = lines
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if paid_at is not UNSET:
            field_dict["paid_at"] = paid_at
        if fulfilled_at is not UNSET:
            field_dict["fulfilled_at"] = fulfilled_at
        if cancelled_at is not UNSET:
            field_dict["cancelled_at"] = cancelled_at
        if payment_reference is not UNSET:
            field_dict["payment_reference"] = payment_reference
        if under_review is not UNSET:
            field_dict["under_review"] = under_review

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.address import Address # noqa: PLC0415
        from ..models.order_line import OrderLine # noqa: PLC0415
        from ..models.tax_breakdown import TaxBreakdown # noqa: PLC0415
        d = dict(src_dict)
        _id = d.pop("id", UNSET)
        id: UUID | Unset
        if isinstance(_id,  Unset):
            id = UNSET
        else:
            id = UUID(_id)




        number = d.pop("number", UNSET)

        _customer_id = d.pop("customer_id", UNSET)
        customer_id: UUID | Unset
        if isinstance(_customer_id,  Unset):
            customer_id = UNSET
        else:
            customer_id = UUID(_customer_id)




        _status = d.pop("status", UNSET)
        status: OrderStatus | Unset
        if isinstance(_status,  Unset):
            status = UNSET
        else:
            status = OrderStatus(_status)




        currency = d.pop("currency", UNSET)

        tax_inclusive = d.pop("tax_inclusive", UNSET)

        subtotal_amount = d.pop("subtotal_amount", UNSET)

        tax_amount = d.pop("tax_amount", UNSET)

        total_amount = d.pop("total_amount", UNSET)

        _tax_breakdown = d.pop("tax_breakdown", UNSET)
        tax_breakdown: list[TaxBreakdown] | Unset = UNSET
        if _tax_breakdown is not UNSET:
            tax_breakdown = []
            for tax_breakdown_item_data in _tax_breakdown:
                tax_breakdown_item = TaxBreakdown.from_dict(tax_breakdown_item_data)



                tax_breakdown.append(tax_breakdown_item)


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


        country = d.pop("country", UNSET)

        _shipping_address = d.pop("shipping_address", UNSET)
        shipping_address: Address | Unset
        if isinstance(_shipping_address,  Unset):
            shipping_address = UNSET
        else:
            shipping_address = Address.from_dict(_shipping_address)




        _billing_address = d.pop("billing_address", UNSET)
        billing_address: Address | Unset
        if isinstance(_billing_address,  Unset):
            billing_address = UNSET
        else:
            billing_address = Address.from_dict(_billing_address)




        _lines = d.pop("lines", UNSET)
        lines: list[OrderLine] | Unset = UNSET
        if _lines is not UNSET:
            lines = []
            for lines_item_data in _lines:
                lines_item = OrderLine.from_dict(lines_item_data)



                lines.append(lines_item)


        _created_at = d.pop("created_at", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at,  Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)




        _updated_at = d.pop("updated_at", UNSET)
        updated_at: datetime.datetime | Unset
        if isinstance(_updated_at,  Unset):
            updated_at = UNSET
        else:
            updated_at = datetime.datetime.fromisoformat(_updated_at)




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


        def _parse_fulfilled_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                fulfilled_at_type_0 = datetime.datetime.fromisoformat(data)



                return fulfilled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        fulfilled_at = _parse_fulfilled_at(d.pop("fulfilled_at", UNSET))


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


        def _parse_payment_reference(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        payment_reference = _parse_payment_reference(d.pop("payment_reference", UNSET))


        under_review = d.pop("under_review", UNSET)

        order = cls(
            id=id,
            number=number,
            customer_id=customer_id,
            status=status,
            currency=currency,
            tax_inclusive=tax_inclusive,
            subtotal_amount=subtotal_amount,
            tax_amount=tax_amount,
            total_amount=total_amount,
            tax_breakdown=tax_breakdown,
            tax_date=tax_date,
            country=country,
            shipping_address=shipping_address,
            billing_address=billing_address,
            lines=lines,
            created_at=created_at,
            updated_at=updated_at,
            paid_at=paid_at,
            fulfilled_at=fulfilled_at,
            cancelled_at=cancelled_at,
            payment_reference=payment_reference,
            under_review=under_review,
        )

        return order

