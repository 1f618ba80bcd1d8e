from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="Token")



@_attrs_define
class Token:
    """ 
        Attributes:
            token_type (str): Always `Bearer`: send `Authorization: Bearer <access_token>` Example: Bearer.
            access_token (str): Short-lived JWT for the Authorization header Example:
                eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIzZmE4NWY2NCJ9.c2lnbmF0dXJl.
            access_expires_at (datetime.datetime): RFC 3339 timestamp (UTC) when the token expires Example:
                2026-03-01T09:45:00+00:00.
            refresh_token (str): Single-use token for /auth/refresh (rotated on every use) Example: rt_8f3c2a9d0b1e4f67a5c3.
            refresh_expires_at (datetime.datetime): RFC 3339 timestamp (UTC) when the token expires Example:
                2026-03-31T09:30:00+00:00.
     """

    token_type: str
    access_token: str
    access_expires_at: datetime.datetime
    refresh_token: str
    refresh_expires_at: datetime.datetime





    def to_dict(self) -> dict[str, Any]:
        token_type = self.token_type

        access_token = self.access_token

        access_expires_at = self.access_expires_at.isoformat()

        refresh_token = self.refresh_token

        refresh_expires_at = self.refresh_expires_at.isoformat()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "token_type": token_type,
            "access_token": access_token,
            "access_expires_at": access_expires_at,
            "refresh_token": refresh_token,
            "refresh_expires_at": refresh_expires_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        token_type = d.pop("token_type")

        access_token = d.pop("access_token")

        access_expires_at = datetime.datetime.fromisoformat(d.pop("access_expires_at"))




        refresh_token = d.pop("refresh_token")

        refresh_expires_at = datetime.datetime.fromisoformat(d.pop("refresh_expires_at"))




        token = cls(
            token_type=token_type,
            access_token=access_token,
            access_expires_at=access_expires_at,
            refresh_token=refresh_token,
            refresh_expires_at=refresh_expires_at,
        )

        return token

