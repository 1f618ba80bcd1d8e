from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="UserUpdate")



@_attrs_define
class UserUpdate:
    """ 
        Attributes:
            full_name (str | Unset): Name shown on orders and invoices Example: Ada Lovelace.
            phone (None | str | Unset): Phone number; null removes it Example: +49 30 1234567.
            country (None | str | Unset): ISO 3166-1 alpha-2 country code Example: DE.
     """

    full_name: str | Unset = UNSET
    phone: None | str | Unset = UNSET
    country: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        full_name = self.full_name

        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        country: None | str | Unset
        if isinstance(self.country, Unset):
            country = UNSET
        else:
            country = self.country


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if full_name is not UNSET:
            field_dict["full_name"] = full_name
        if phone is not UNSET:
            field_dict["phone"] = phone
        if country is not UNSET:
            field_dict["country"] = country

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        full_name = d.pop("full_name", UNSET)

        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))


        def _parse_country(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        country = _parse_country(d.pop("country", UNSET))


        user_update = cls(
            full_name=full_name,
            phone=phone,
            country=country,
        )

        return user_update

