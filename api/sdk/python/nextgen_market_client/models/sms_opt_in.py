from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="SmsOptIn")



@_attrs_define
class SmsOptIn:
    """ 
        Attributes:
            sms_opt_in (bool): Receive order and payment SMS Example: True.
     """

    sms_opt_in: bool





    def to_dict(self) -> dict[str, Any]:
        sms_opt_in = self.sms_opt_in


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "sms_opt_in": sms_opt_in,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        sms_opt_in = d.pop("sms_opt_in")

        sms_opt_in = cls(
            sms_opt_in=sms_opt_in,
        )

        return sms_opt_in

