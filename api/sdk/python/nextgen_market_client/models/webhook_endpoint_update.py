from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.webhook_endpoint_update_event_types_item import WebhookEndpointUpdateEventTypesItem
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="WebhookEndpointUpdate")



@_attrs_define
class WebhookEndpointUpdate:
    """ 
        Attributes:
            url (str | Unset): Where events are POSTed: https (http only outside production); no credentials in it (user
                info, or query parameters named like secret, token or key); private, loopback and link-local addresses are
                refused
            event_types (list[WebhookEndpointUpdateEventTypesItem] | Unset): The event types sent to this endpoint (order
                events need the key's orders:read scope, invoice events invoices:read)
            contact_email (str | Unset): Who we write to when this endpoint is disabled
            description (str | Unset): Free text for your own reference
            enabled (bool | Unset): true enables it again (also after we disabled it), false pauses it
     """

    url: str | Unset = UNSET
    event_types: list[WebhookEndpointUpdateEventTypesItem] | Unset = UNSET
    contact_email: str | Unset = UNSET
    description: str | Unset = UNSET
    enabled: bool | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        url = self.url

        event_types: list[str] | Unset = UNSET
        if not isinstance(self.event_types, Unset):
            event_types = []
            for event_types_item_data in self.event_types:
                event_types_item = event_types_item_data.value
                event_types.append(event_types_item)



        contact_email = self.contact_email

        description = self.description

        enabled = self.enabled


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if url is not UNSET:
            field_dict["url"] = url
        if event_types is not UNSET:
            field_dict["event_types"] = event_types
        if contact_email is not UNSET:
            field_dict["contact_email"] = contact_email
        if description is not UNSET:
            field_dict["description"] = description
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url", UNSET)

        _event_types = d.pop("event_types", UNSET)
        event_types: list[WebhookEndpointUpdateEventTypesItem] | Unset = UNSET
        if _event_types is not UNSET:
            event_types = []
            for event_types_item_data in _event_types:
                event_types_item = WebhookEndpointUpdateEventTypesItem(event_types_item_data)



                event_types.append(event_types_item)


        contact_email = d.pop("contact_email", UNSET)

        description = d.pop("description", UNSET)

        enabled = d.pop("enabled", UNSET)

        webhook_endpoint_update = cls(
            url=url,
            event_types=event_types,
            contact_email=contact_email,
            description=description,
            enabled=enabled,
        )

        return webhook_endpoint_update

