from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="Register")



@_attrs_define
class Register:
    """ 
        Attributes:
            email (str): The account's email address Example: ada@example.com.
            password (str): The password (1-256 characters) Example: correct horse battery.
            full_name (str | Unset): Name shown on orders and invoices Default: ''. Example: Ada Lovelace.
     """

    email: str
    password: str
    full_name: str | Unset = ''





    def to_dict(self) -> dict[str, Any]:
        email = self.email

        password = self.password

        full_name = self.full_name


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "email": email,
            "password": password,
        })
        if full_name is not UNSET:
            field_dict["full_name"] = full_name

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        password = d.pop("password")

        full_name = d.pop("full_name", UNSET)

        register = cls(
            email=email,
            password=password,
            full_name=full_name,
        )

        return register

