from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="Phone")



@_attrs_define
class Phone:
    """ 
        Attributes:
            phone (None | str | Unset): The number SMS go to, E.164 Example: +49301234567.
            verified (bool | Unset): Proved by the code sent to it Example: True.
            sms_opt_in (bool | Unset): Whether order and payment SMS are wanted (needs a verified number) Example: False.
     """

    phone: None | str | Unset = UNSET
    verified: bool | Unset = UNSET
    sms_opt_in: bool | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        verified = self.verified

        sms_opt_in = self.sms_opt_in


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if phone is not UNSET:
            field_dict["phone"] = phone
        if verified is not UNSET:
            field_dict["verified"] = verified
        if sms_opt_in is not UNSET:
            field_dict["sms_opt_in"] = sms_opt_in

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))


        verified = d.pop("verified", UNSET)

        sms_opt_in = d.pop("sms_opt_in", UNSET)

        phone = cls(
            phone=phone,
            verified=verified,
            sms_opt_in=sms_opt_in,
        )

        return phone

