from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="WebhookAck")



@_attrs_define
class WebhookAck:
    """ 
        Attributes:
            received (bool | Unset): Always true: stored for processing
            duplicate (bool | Unset): This event id was received before (nothing new stored)
     """

    received: bool | Unset = UNSET
    duplicate: bool | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        received = self.received

        duplicate = self.duplicate


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if received is not UNSET:
            field_dict["received"] = received
        if duplicate is not UNSET:
            field_dict["duplicate"] = duplicate

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        received = d.pop("received", UNSET)

        duplicate = d.pop("duplicate", UNSET)

        webhook_ack = cls(
            received=received,
            duplicate=duplicate,
        )

        return webhook_ack

