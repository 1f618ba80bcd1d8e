from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="Replay")



@_attrs_define
class Replay:
    """ 
        Attributes:
            event_id (UUID): The event to send again, with its id and body unchanged
     """

    event_id: UUID





    def to_dict(self) -> dict[str, Any]:
        event_id = str(self.event_id)


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "event_id": event_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event_id = UUID(d.pop("event_id"))




        replay = cls(
            event_id=event_id,
        )

        return replay

