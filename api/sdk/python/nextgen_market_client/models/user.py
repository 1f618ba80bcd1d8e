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






T = TypeVar("T", bound="User")



@_attrs_define
class User:
    """ 
        Attributes:
            id (UUID | Unset): The user's id
            email (str | Unset): Login email address Example: ada@example.com.
            full_name (str | Unset): Name shown on orders and invoices Example: Ada Lovelace.
            phone (None | str | Unset): Phone number, digits with optional +, spaces, () and - Example: +49 30 1234567.
            country (None | str | Unset): ISO 3166-1 alpha-2 country code Example: DE.
            email_verified (bool | Unset): Whether the email address was confirmed Example: True.
            is_active (bool | Unset): False once the account is deactivated Example: True.
            created_at (datetime.datetime | Unset): RFC 3339 timestamp (UTC) of registration
            updated_at (datetime.datetime | Unset): RFC 3339 timestamp (UTC) of the last change
     """

    id: UUID | Unset = UNSET
    email: str | Unset = UNSET
    full_name: str | Unset = UNSET
    phone: None | str | Unset = UNSET
    country: None | str | Unset = UNSET
    email_verified: bool | Unset = UNSET
    is_active: bool | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    updated_at: datetime.datetime | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        id: str | Unset = UNSET
        if not isinstance(self.id, Unset):
            id = str(self.id)

        email = self.email

        full_name = self.full_name

        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        country: None | str | Unset
        if isinstance(self.country, Unset):
            country = UNSET
        else:
            country = self.country

        email_verified = self.email_verified

        is_active = self.is_active

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        updated_at: str | Unset = UNSET
        if not isinstance(self.updated_at, Unset):
            updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if id is not UNSET:
            field_dict["id"] = id
        if email is not UNSET:
            field_dict["email"] = email
        if full_name is not UNSET:
            field_dict["full_name"] = full_name
        if phone is not UNSET:
            field_dict["phone"] = phone
        if country is not UNSET:
            field_dict["country"] = country
        if email_verified is not UNSET:
            field_dict["email_verified"] = email_verified
        if is_active is not UNSET:
            field_dict["is_active"] = is_active
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

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




        email = d.pop("email", UNSET)

        full_name = d.pop("full_name", UNSET)

        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))


        def _parse_country(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        country = _parse_country(d.pop("country", UNSET))


        email_verified = d.pop("email_verified", UNSET)

        is_active = d.pop("is_active", UNSET)

        _created_at = d.pop("created_at", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at,  Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)




        _updated_at = d.pop("updated_at", UNSET)
        updated_at: datetime.datetime | Unset
        if isinstance(_updated_at,  Unset):
            updated_at = UNSET
        else:
            updated_at = datetime.datetime.fromisoformat(_updated_at)




        user = cls(
            id=id,
            email=email,
            full_name=full_name,
            phone=phone,
            country=country,
            email_verified=email_verified,
            is_active=is_active,
            created_at=created_at,
            updated_at=updated_at,
        )

        return user

