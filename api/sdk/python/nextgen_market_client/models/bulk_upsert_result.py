from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="BulkUpsertResult")



@_attrs_define
class BulkUpsertResult:
    """ 
        Attributes:
            created (int | Unset): Products created (new SKUs) Example: 2.
            updated (int | Unset): Existing products changed Example: 1.
            unchanged (int | Unset): Rows equal to the stored product Example: 0.
     """

    created: int | Unset = UNSET
    updated: int | Unset = UNSET
    unchanged: int | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        created = self.created

        updated = self.updated

        unchanged = self.unchanged


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if created is not UNSET:
            field_dict["created"] = created
        if updated is not UNSET:
            field_dict["updated"] = updated
        if unchanged is not UNSET:
            field_dict["unchanged"] = unchanged

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created = d.pop("created", UNSET)

        updated = d.pop("updated", UNSET)

        unchanged = d.pop("unchanged", UNSET)

        bulk_upsert_result = cls(
            created=created,
            updated=updated,
            unchanged=unchanged,
        )

        return bulk_upsert_result

