from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="SavedPaymentMethod")



@_attrs_define
class SavedPaymentMethod:
    """ 
        Attributes:
            id (UUID | Unset): Our id: send it as `payment_method_id` to `POST /payments` Example:
                1d6f2a4b-8c3e-5f70-9a1b-2c3d4e5f6a7b.
            object_ (str | Unset): Always `payment_method`
            type_ (str | Unset): Always `card`
            gateway (str | Unset): Where it is kept (`stripe`)
            brand (str | Unset): Card brand as the gateway names it Example: visa.
            last4 (str | Unset): The last four digits (never more) Example: 4242.
            exp_month (int | Unset): Expiry month, 1 to 12 Example: 12.
            exp_year (int | Unset): Expiry year, four digits Example: 2030.
            created_at (datetime.datetime | Unset): When it was saved (UTC)
     """

    id: UUID | Unset = UNSET
    object_: str | Unset = UNSET
    type_: str | Unset = UNSET
    gateway: str | Unset = UNSET
    brand: str | Unset = UNSET
    last4: str | Unset = UNSET
    exp_month: int | Unset = UNSET
    exp_year: int | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        id: str | Unset = UNSET
        if not isinstance(self.id, Unset):
            id = str(self.id)

        object_ = self.object_

        type_ = self.type_

        gateway = self.gateway

        brand = self.brand

        last4 = self.last4

        exp_month = self.exp_month

        exp_year = self.exp_year

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if id is not UNSET:
            field_dict["id"] = id
        if object_ is not UNSET:
            field_dict["object"] = object_
        if type_ is not UNSET:
            field_dict["type"] = type_
        if gateway is not UNSET:
            field_dict["gateway"] = gateway
        if brand is not UNSET:
            field_dict["brand"] = brand
        if last4 is not UNSET:
            field_dict["last4"] = last4
        if exp_month is not UNSET:
            field_dict["exp_month"] = exp_month
        if exp_year is not UNSET:
            field_dict["exp_year"] = exp_year
        if created_at is not UNSET:
            field_dict["created_at"] = created_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _id = d.pop("id", UNSET)
        id: UUID | Unset
        if isinstance(_id,  Unset):
            id = UNSET
        else:
            id = UUID(_id)




        object_ = d.pop("object", UNSET)

        type_ = d.pop("type", UNSET)

        gateway = d.pop("gateway", UNSET)

        brand = d.pop("brand", UNSET)

        last4 = d.pop("last4", UNSET)

        exp_month = d.pop("exp_month", UNSET)

        exp_year = d.pop("exp_year", UNSET)

        _created_at = d.pop("created_at", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at,  Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)




        saved_payment_method = cls(
            id=id,
            object_=object_,
            type_=type_,
            gateway=gateway,
            brand=brand,
            last4=last4,
            exp_month=exp_month,
            exp_year=exp_year,
            created_at=created_at,
        )

        return saved_payment_method

