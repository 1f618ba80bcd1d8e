from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.address import Address
  from ..models.order_line_create import OrderLineCreate





T = TypeVar("T", bound="OrderCreate")



@_attrs_define
class OrderCreate:
    """ 
        Attributes:
            lines (list[OrderLineCreate]): 1 to 100 lines; prices come from the catalogue
            shipping_address (Address):
            billing_address (Address | None | Unset): For the invoice; default: the shipping address
     """

    lines: list[OrderLineCreate]
    shipping_address: Address
    billing_address: Address | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.address import Address # noqa: PLC0415
        from ..models.order_line_create import OrderLineCreate # noqa: PLC0415
        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)



        shipping_address = self.shipping_address.to_dict()

        billing_address: dict[str, Any] | None | Unset
        if isinstance(self.billing_address, Unset):
            billing_address = UNSET
        elif isinstance(self.billing_address, Address):
            billing_address = self.billing_address.to_dict()
        else:
            billing_address = self.billing_address


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "lines": lines,
            "shipping_address": shipping_address,
        })
        if billing_address is not UNSET:
            field_dict["billing_address"] = billing_address

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.address import Address # noqa: PLC0415
        from ..models.order_line_create import OrderLineCreate # noqa: PLC0415
        d = dict(src_dict)
        lines = []
        _lines = d.pop("lines")
        for lines_item_data in (_lines):
            lines_item = OrderLineCreate.from_dict(lines_item_data)



            lines.append(lines_item)


        shipping_address = Address.from_dict(d.pop("shipping_address"))




        def _parse_billing_address(data: object) -> Address | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                billing_address_type_0 = Address.from_dict(data)



                return billing_address_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Address | None | Unset, data)

        billing_address = _parse_billing_address(d.pop("billing_address", UNSET))


        order_create = cls(
            lines=lines,
            shipping_address=shipping_address,
            billing_address=billing_address,
        )

        return order_create

