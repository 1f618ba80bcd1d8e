from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.bank_transfer_status import BankTransferStatus
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="BankTransfer")



@_attrs_define
class BankTransfer:
    """ 
        Attributes:
            id (UUID | Unset): Bank transfer id (the same for every retry with one Idempotency-Key) Example:
                8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f.
            object_ (str | Unset): Always `bank_transfer` Example: bank_transfer.
            amount (int | Unset): Minor units of `currency` Example: 11900.
            currency (str | Unset): ISO 4217 code Example: EUR.
            reference (str | Unset): As the payer wrote it Example: INV-2026-000042.
            value_date (datetime.date | Unset): The bank's value date Example: 2026-12-02.
            payer_name (str | Unset): The payer's name Example: ACME GmbH.
            status (BankTransferStatus | Unset): `applied` (paid what its reference names), `held` for finance's review (see
                `hold_reason`), or `returned` to the payer Example: applied.
            hold_reason (None | str | Unset): Why it is held (never applied blindly): `unknown_reference`,
                `amount_mismatch`, `currency_mismatch`, `already_paid`, `not_payable`, `payment_in_progress`; null unless held
            hold_message (None | str | Unset): Why it is held, in words
            invoice_id (None | Unset | UUID): The invoice its reference names (paid when applied) Example:
                3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7.
            order_id (None | Unset | UUID): The order its reference names (paid when applied)
            payment_id (None | Unset | UUID): The bank_transfer payment of the order, once applied to an order
            note (str | Unset): Free text for finance
            created_at (datetime.datetime | Unset): UTC Example: 2026-12-03T09:00:00+00:00.
            applied_at (datetime.datetime | None | Unset): UTC Example: 2026-12-03T09:00:00+00:00.
            returned_at (datetime.datetime | None | Unset): UTC
     """

    id: UUID | Unset = UNSET
    object_: str | Unset = UNSET
    amount: int | Unset = UNSET
    currency: str | Unset = UNSET
    reference: str | Unset = UNSET
    value_date: datetime.date | Unset = UNSET
    payer_name: str | Unset = UNSET
    status: BankTransferStatus | Unset = UNSET
    hold_reason: None | str | Unset = UNSET
    hold_message: None | str | Unset = UNSET
    invoice_id: None | Unset | UUID = UNSET
    order_id: None | Unset | UUID = UNSET
    payment_id: None | Unset | UUID = UNSET
    note: str | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    applied_at: datetime.datetime | None | Unset = UNSET
    returned_at: datetime.datetime | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        id: str | Unset = UNSET
        if not isinstance(self.id, Unset):
            id = str(self.id)

        object_ = self.object_

        amount = self.amount

        currency = self.currency

        reference = self.reference

        value_date: str | Unset = UNSET
        if not isinstance(self.value_date, Unset):
            value_date = self.value_date.isoformat()

        payer_name = self.payer_name

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value


        hold_reason: None | str | Unset
        if isinstance(self.hold_reason, Unset):
            hold_reason = UNSET
        else:
            hold_reason = self.hold_reason

        hold_message: None | str | Unset
        if isinstance(self.hold_message, Unset):
            hold_message = UNSET
        else:
            hold_message = self.hold_message

        invoice_id: None | str | Unset
        if isinstance(self.invoice_id, Unset):
            invoice_id = UNSET
        elif isinstance(self.invoice_id, UUID):
            invoice_id = str(self.invoice_id)
        else:
            invoice_id = self.invoice_id

        order_id: None | str | Unset
        if isinstance(self.order_id, Unset):
            order_id = UNSET
        elif isinstance(self.order_id, UUID):
            order_id = str(self.order_id)
        else:
            order_id = self.order_id

        payment_id: None | str | Unset
        if isinstance(self.payment_id, Unset):
            payment_id = UNSET
        elif isinstance(self.payment_id, UUID):
            payment_id = str(self.payment_id)
        else:
            payment_id = self.payment_id

        note = self.note

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        applied_at: None | str | Unset
        if isinstance(self.applied_at, Unset):
            applied_at = UNSET
        elif isinstance(self.applied_at, datetime.datetime):
            applied_at = self.applied_at.isoformat()
        else:
            applied_at = self.applied_at

        returned_at: None | str | Unset
        if isinstance(self.returned_at, Unset):
            returned_at = UNSET
        elif isinstance(self.returned_at, datetime.datetime):
            returned_at = self.returned_at.isoformat()
        else:
            returned_at = self.returned_at


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if id is not UNSET:
            field_dict["id"] = id
        if object_ is not UNSET:
            field_dict["object"] = object_
        if amount is not UNSET:
            field_dict["amount"] = amount
        if currency is not UNSET:
            field_dict["currency"] = currency
        if reference is not UNSET:
            field_dict["reference"] = reference
        if value_date is not UNSET:
            field_dict["value_date"] = value_date
        if payer_name is not UNSET:
            field_dict["payer_name"] = payer_name
        if status is not UNSET:
            field_dict["status"] = status
        if hold_reason is not UNSET:
            field_dict["hold_reason"] = hold_reason
        if hold_message is not UNSET:
            field_dict["hold_message"] = hold_message
        if invoice_id is not UNSET:
            field_dict["invoice_id"] = invoice_id
        if order_id is not UNSET:
            field_dict["order_id"] = order_id
        if payment_id is not UNSET:
            field_dict["payment_id"] = payment_id
        if note is not UNSET:
            field_dict["note"] = note
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if applied_at is not UNSET:
            field_dict["applied_at"] = applied_at
        if returned_at is not UNSET:
            field_dict["returned_at"] = returned_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _id = d.pop("id", UNSET)
        id: UUID | Unset
        if isinstance(_id,  Unset):
            id = UNSET
        else:
            id = UUID(_id)




        object_ = d.pop("object", UNSET)

        amount = d.pop("amount", UNSET)

        currency = d.pop("currency", UNSET)

        reference = d.pop("reference", UNSET)

        _value_date = d.pop("value_date", UNSET)
        value_date: datetime.date | Unset
        if isinstance(_value_date,  Unset):
            value_date = UNSET
        else:
            value_date = datetime.date.fromisoformat(_value_date)




        payer_name = d.pop("payer_name", UNSET)

        _status = d.pop("status", UNSET)
        status: BankTransferStatus | Unset
        if isinstance(_status,  Unset):
            status = UNSET
        else:
            status = BankTransferStatus(_status)




        def _parse_hold_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        hold_reason = _parse_hold_reason(d.pop("hold_reason", UNSET))


        def _parse_hold_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        hold_message = _parse_hold_message(d.pop("hold_message", UNSET))


        def _parse_invoice_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                invoice_id_type_0 = UUID(data)



                return invoice_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        invoice_id = _parse_invoice_id(d.pop("invoice_id", UNSET))


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


        def _parse_payment_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                payment_id_type_0 = UUID(data)



                return payment_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        payment_id = _parse_payment_id(d.pop("payment_id", UNSET))


        note = d.pop("note", UNSET)

        _created_at = d.pop("created_at", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at,  Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)




        def _parse_applied_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                applied_at_type_0 = datetime.datetime.fromisoformat(data)



                return applied_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        applied_at = _parse_applied_at(d.pop("applied_at", UNSET))


        def _parse_returned_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                returned_at_type_0 = datetime.datetime.fromisoformat(data)



                return returned_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        returned_at = _parse_returned_at(d.pop("returned_at", UNSET))


        bank_transfer = cls(
            id=id,
            object_=object_,
            amount=amount,
            currency=currency,
            reference=reference,
            value_date=value_date,
            payer_name=payer_name,
            status=status,
            hold_reason=hold_reason,
            hold_message=hold_message,
            invoice_id=invoice_id,
            order_id=order_id,
            payment_id=payment_id,
            note=note,
            created_at=created_at,
            applied_at=applied_at,
            returned_at=returned_at,
        )

        return bank_transfer

