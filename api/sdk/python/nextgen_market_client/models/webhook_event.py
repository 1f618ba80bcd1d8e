from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.webhook_event_type import WebhookEventType
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.webhook_event_payload import WebhookEventPayload





T = TypeVar("T", bound="WebhookEvent")



@_attrs_define
class WebhookEvent:
    """ 
        Attributes:
            id (UUID | Unset): The event's id; a replay sends the same
            type_ (WebhookEventType | Unset): The event's type
            object_id (str | Unset): The id of the object it is about
            sequence (int | Unset): Per object, increasing in the order the changes happened: order events by it
            created_at (datetime.datetime | Unset): When it happened (UTC)
            payload (WebhookEventPayload | Unset): The body as sent: id, type, created, api_version, sequence, data.object
     """

    id: UUID | Unset = UNSET
    type_: WebhookEventType | Unset = UNSET
    object_id: str | Unset = UNSET
    sequence: int | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    payload: WebhookEventPayload | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.webhook_event_payload import WebhookEventPayload # noqa: PLC0415
        id: str | Unset = UNSET
        if not isinstance(self.id, Unset):
            id = str(self.id)

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value


        object_id = self.object_id

        sequence = self.sequence

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        payload: dict[str, Any] | Unset = UNSET
        if not isinstance(self.payload, Unset):
            payload = self.payload.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if id is not UNSET:
            field_dict["id"] = id
        if type_ is not UNSET:
            field_dict["type"] = type_
        if object_id is not UNSET:
            field_dict["object_id"] = object_id
        if sequence is not UNSET:
            field_dict["sequence"] = sequence
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if payload is not UNSET:
            field_dict["payload"] = payload

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.webhook_event_payload import WebhookEventPayload # noqa: PLC0415
        d = dict(src_dict)
        _id = d.pop("id", UNSET)
        id: UUID | Unset
        if isinstance(_id,  Unset):
            id = UNSET
        else:
            id = UUID(_id)




        _type_ = d.pop("type", UNSET)
        type_: WebhookEventType | Unset
        if isinstance(_type_,  Unset):
            type_ = UNSET
        else:
            type_ = WebhookEventType(_type_)




        object_id = d.pop("object_id", UNSET)

        sequence = d.pop("sequence", UNSET)

        _created_at = d.pop("created_at", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at,  Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)




        _payload = d.pop("payload", UNSET)
        payload: WebhookEventPayload | Unset
        if isinstance(_payload,  Unset):
            payload = UNSET
        else:
            payload = WebhookEventPayload.from_dict(_payload)




        webhook_event = cls(
            id=id,
            type_=type_,
            object_id=object_id,
            sequence=sequence,
            created_at=created_at,
            payload=payload,
        )

        return webhook_event

