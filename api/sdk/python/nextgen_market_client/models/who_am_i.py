from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID






T = TypeVar("T", bound="WhoAmI")



@_attrs_define
class WhoAmI:
    """ 
        Attributes:
            kind (str): user or apikey Example: apikey.
            id (UUID): The user's or key's id
            label (str): The user's email, or the key's name Example: Acme catalogue sync.
            scopes (list[str]): The key's scopes (empty for a user) Example: ['catalog:write'].
     """

    kind: str
    id: UUID
    label: str
    scopes: list[str]





    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        id = str(self.id)

        label = self.label

        scopes = self.scopes




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "kind": kind,
            "id": id,
            "label": label,
            "scopes": scopes,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = d.pop("kind")

        id = UUID(d.pop("id"))




        label = d.pop("label")

        scopes = cast(list[str], d.pop("scopes"))


        who_am_i = cls(
            kind=kind,
            id=id,
            label=label,
            scopes=scopes,
        )

        return who_am_i

