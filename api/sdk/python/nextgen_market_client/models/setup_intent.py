from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="SetupIntent")



@_attrs_define
class SetupIntent:
    """ 
        Attributes:
            id (str | Unset): Stripe's SetupIntent id Example: seti_1Nq2XyAbCdEf.
            object_ (str | Unset): Always `setup_intent`
            client_secret (str | Unset): What Stripe.js confirms the card with (`confirmCardSetup`); then save the
                PaymentMethod it names with `POST /customers/me/payment-methods` Example: seti_1Nq2XyAbCdEf_secret_k9s8.
            status (str | Unset): Stripe's status (requires_payment_method at first) Example: requires_payment_method.
     """

    id: str | Unset = UNSET
    object_: str | Unset = UNSET
    client_secret: str | Unset = UNSET
    status: str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        object_ = self.object_

        client_secret = self.client_secret

        status = self.status


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if id is not UNSET:
            field_dict["id"] = id
        if object_ is not UNSET:
            field_dict["object"] = object_
        if client_secret is not UNSET:
            field_dict["client_secret"] = client_secret
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id", UNSET)

        object_ = d.pop("object", UNSET)

        client_secret = d.pop("client_secret", UNSET)

        status = d.pop("status", UNSET)

        setup_intent = cls(
            id=id,
            object_=object_,
            client_secret=client_secret,
            status=status,
        )

        return setup_intent

