from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from uuid import UUID






T = TypeVar("T", bound="RefundedLine")



@_attrs_define
class RefundedLine:
    """ 
        Attributes:
            line_id (UUID): A line of the invoice the payment paid (`GET /invoices/{id}`)
            quantity (int): Units returned, at most those not yet credited or being refunded Example: 1.
            net_amount (int | Unset): Net refunded on this line, minor units
            tax_amount (int | Unset): Tax refunded on this line, minor units
     """

    line_id: UUID
    quantity: int
    net_amount: int | Unset = UNSET
    tax_amount: int | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        line_id = str(self.line_id)

        quantity = self.quantity

        net_amount = self.net_amount

        tax_amount = self.tax_amount


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "line_id": line_id,
            "quantity": quantity,
        })
        if net_amount is not UNSET:
            field_dict["net_amount"] = net_amount
        if tax_amount is not UNSET:
            field_dict["tax_amount"] = tax_amount

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        line_id = UUID(d.pop("line_id"))




        quantity = d.pop("quantity")

        net_amount = d.pop("net_amount", UNSET)

        tax_amount = d.pop("tax_amount", UNSET)

        refunded_line = cls(
            line_id=line_id,
            quantity=quantity,
            net_amount=net_amount,
            tax_amount=tax_amount,
        )

        return refunded_line

