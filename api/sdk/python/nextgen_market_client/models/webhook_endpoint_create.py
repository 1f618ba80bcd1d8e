from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.webhook_endpoint_create_event_types_item import WebhookEndpointCreateEventTypesItem
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="WebhookEndpointCreate")



@_attrs_define
class WebhookEndpointCreate:
    """ 
        Attributes:
            url (str): Where events are POSTed: https (http only outside production); no credentials in it (user info, or
                query parameters named like secret, token or key); private, loopback and link-local addresses are refused
            event_types (list[WebhookEndpointCreateEventTypesItem]): The event types sent to this endpoint (order events
                need the key's orders:read scope, invoice events invoices:read)
            contact_email (str): Who we write to when this endpoint is disabled after 3 days of failures
            description (str | Unset): Free text for your own reference Default: ''.
            enabled (bool | Unset): Whether events are sent to it (false pauses it) Default: True.
     """

    url: str
    event_types: list[WebhookEndpointCreateEventTypesItem]
    contact_email: str
    description: str | Unset = ''
    enabled: bool | Unset = True





    def to_dict(self) -> dict[str, Any]:
        url = self.url

        event_types = []
        for event_types_item_data in self.event_types:
            event_types_item = event_types_item_data.value
            event_types.append(event_types_item)



        contact_email = self.contact_email

        description = self.description

        enabled = self.enabled


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "url": url,
            "event_types": event_types,
            "contact_email": contact_email,
        })
        if description is not UNSET:
            field_dict["description"] = description
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url")

        event_types = []
        _event_types = d.pop("event_types")
        for event_types_item_data in (_event_types):
            event_types_item = WebhookEndpointCreateEventTypesItem(event_types_item_data)



            event_types.append(event_types_item)


        contact_email = d.pop("contact_email")

        description = d.pop("description", UNSET)

        enabled = d.pop("enabled", UNSET)

        webhook_endpoint_create = cls(
            url=url,
            event_types=event_types,
            contact_email=contact_email,
            description=description,
            enabled=enabled,
        )

        return webhook_endpoint_create

