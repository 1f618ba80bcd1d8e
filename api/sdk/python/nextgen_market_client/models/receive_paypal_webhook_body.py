from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.receive_paypal_webhook_body_resource import ReceivePaypalWebhookBodyResource





T = TypeVar("T", bound="ReceivePaypalWebhookBody")



@_attrs_define
class ReceivePaypalWebhookBody:
    """ A PayPal webhook event, as PayPal sends it (verified by PayPal's verify-webhook-signature API with the transmission
    headers)

        Attributes:
            id (str): PayPal's event id (WH-...): stored once
            event_type (str): e.g. PAYMENT.CAPTURE.COMPLETED
            resource (ReceivePaypalWebhookBodyResource): The capture or refund
     """

    id: str
    event_type: str
    resource: ReceivePaypalWebhookBodyResource
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.receive_paypal_webhook_body_resource import ReceivePaypalWebhookBodyResource # noqa: PLC0415
        id = self.id

        event_type = self.event_type

        resource = self.resource.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "event_type": event_type,
            "resource": resource,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.receive_paypal_webhook_body_resource import ReceivePaypalWebhookBodyResource # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        event_type = d.pop("event_type")

        resource = ReceivePaypalWebhookBodyResource.from_dict(d.pop("resource"))




        receive_paypal_webhook_body = cls(
            id=id,
            event_type=event_type,
            resource=resource,
        )


        receive_paypal_webhook_body.additional_properties = d
        return receive_paypal_webhook_body

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
