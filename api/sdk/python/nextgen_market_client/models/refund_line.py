from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="RefundLine")



@_attrs_define
class RefundLine:
    """ 
        Attributes:
            line_id (UUID): A line of the invoice the payment paid (`GET /invoices/{id}`)
            quantity (int): Units returned, at most those not yet credited or being refunded Example: 1.
     """

    line_id: UUID
    quantity: int





    def to_dict(self) -> dict[str, Any]:
        line_id = str(self.line_id)

        quantity = self.quantity


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "line_id": line_id,
            "quantity": quantity,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        line_id = UUID(d.pop("line_id"))




        quantity = d.pop("quantity")

        refund_line = cls(
            line_id=line_id,
            quantity=quantity,
        )

        return refund_line

