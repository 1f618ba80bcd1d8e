from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="CategoryCreate")



@_attrs_define
class CategoryCreate:
    """ 
        Attributes:
            name (str): Display name Example: Kitchen.
            slug (str | Unset): URL name (a-z, 0-9, -); default: from the name Example: kitchen.
            parent_id (None | Unset | UUID): The parent category; null or absent at the top
     """

    name: str
    slug: str | Unset = UNSET
    parent_id: None | Unset | UUID = UNSET





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        slug = self.slug

        parent_id: None | str | Unset
        if isinstance(self.parent_id, Unset):
            parent_id = UNSET
        elif isinstance(self.parent_id, UUID):
            parent_id = str(self.parent_id)
        else:
            parent_id = self.parent_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
        })
        if slug is not UNSET:
            field_dict["slug"] = slug
        if parent_id is not UNSET:
            field_dict["parent_id"] = parent_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        slug = d.pop("slug", UNSET)

        def _parse_parent_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                parent_id_type_0 = UUID(data)



                return parent_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        parent_id = _parse_parent_id(d.pop("parent_id", UNSET))


        category_create = cls(
            name=name,
            slug=slug,
            parent_id=parent_id,
        )

        return category_create

