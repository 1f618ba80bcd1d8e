from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="BankTransferCreate")



@_attrs_define
class BankTransferCreate:
    """ 
        Attributes:
            amount (int): Received, in minor units (cents for EUR): applied only when it equals the open balance Example:
                11900.
            currency (str): ISO 4217 code of the money received Example: EUR.
            reference (str): What the payer wrote as the reference: the invoice number (as on the invoice PDF) or the order
                id; case and spaces are ignored Example: INV-2026-000042.
            value_date (datetime.date): The bank's value date of the transfer Example: 2026-12-02.
            payer_name (str): The payer's name on the statement Example: ACME GmbH.
            note (str | Unset): Free text for finance Default: ''. Example: Statement line 17.
     """

    amount: int
    currency: str
    reference: str
    value_date: datetime.date
    payer_name: str
    note: str | Unset = ''





    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        currency = self.currency

        reference = self.reference

        value_date = self.value_date.isoformat()

        payer_name = self.payer_name

        note = self.note


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "amount": amount,
            "currency": currency,
            "reference": reference,
            "value_date": value_date,
            "payer_name": payer_name,
        })
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        currency = d.pop("currency")

        reference = d.pop("reference")

        value_date = datetime.date.fromisoformat(d.pop("value_date"))




        payer_name = d.pop("payer_name")

        note = d.pop("note", UNSET)

        bank_transfer_create = cls(
            amount=amount,
            currency=currency,
            reference=reference,
            value_date=value_date,
            payer_name=payer_name,
            note=note,
        )

        return bank_transfer_create

