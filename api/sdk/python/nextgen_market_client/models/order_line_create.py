from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="OrderLineCreate")



@_attrs_define
class OrderLineCreate:
    """ 
        Attributes:
            product_id (UUID): The product to buy
            quantity (int): Units, 1 to 1000 Example: 2.
     """

    product_id: UUID
    quantity: int





    def to_dict(self) -> dict[str, Any]:
        product_id = str(self.product_id)

        quantity = self.quantity


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "product_id": product_id,
            "quantity": quantity,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        product_id = UUID(d.pop("product_id"))




        quantity = d.pop("quantity")

        order_line_create = cls(
            product_id=product_id,
            quantity=quantity,
        )

        return order_line_create

