from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.saved_payment_method import SavedPaymentMethod





T = TypeVar("T", bound="SavedPaymentMethodList")



@_attrs_define
class SavedPaymentMethodList:
    """ 
        Attributes:
            has_more (bool): Whether another page follows Example: True.
            next_cursor (None | str): Pass as `cursor` for the next page; null on the last Example:
                eyJjIjoiMjAyNi0wMy0wMVQwOTozMDowMCIsImkiOiIzZmE4In0.
            data (list[SavedPaymentMethod]): Newest first; removed cards are not listed
     """

    has_more: bool
    next_cursor: None | str
    data: list[SavedPaymentMethod]





    def to_dict(self) -> dict[str, Any]:
        from ..models.saved_payment_method import SavedPaymentMethod # noqa: PLC0415
        has_more = self.has_more

        next_cursor: None | str
        next_cursor = self.next_cursor

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "has_more": has_more,
            "next_cursor": next_cursor,
            "data": data,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.saved_payment_method import SavedPaymentMethod # noqa: PLC0415
        d = dict(src_dict)
        has_more = d.pop("has_more")

        def _parse_next_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))


        data = []
        _data = d.pop("data")
        for data_item_data in (_data):
            data_item = SavedPaymentMethod.from_dict(data_item_data)



            data.append(data_item)


        saved_payment_method_list = cls(
            has_more=has_more,
            next_cursor=next_cursor,
            data=data,
        )

        return saved_payment_method_list

