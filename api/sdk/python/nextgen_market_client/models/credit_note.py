from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.credit_line import CreditLine





T = TypeVar("T", bound="CreditNote")



@_attrs_define
class CreditNote:
    """ 
        Attributes:
            reason (str | Unset): Why, printed on the credit note Default: ''. Example: One unit returned.
            lines (list[CreditLine] | Unset): Credit these lines and quantities
            amount (int | Unset): Or credit this gross amount (integer minor units of the invoice's currency), spread over
                the lines in proportion; neither: the whole remaining amount
     """

    reason: str | Unset = ''
    lines: list[CreditLine] | Unset = UNSET
    amount: int | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.credit_line import CreditLine # noqa: PLC0415
        reason = self.reason

        lines: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.lines, Unset):
            lines = []
            for lines_item_data in self.lines:
                lines_item = lines_item_data.to_dict()
                lines.append(lines_item)



        amount = self.amount


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if reason is not UNSET:
            field_dict["reason"] = reason
        if lines is not UNSET:
            field_dict["lines"] = lines
        if amount is not UNSET:
            field_dict["amount"] = amount

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.credit_line import CreditLine # noqa: PLC0415
        d = dict(src_dict)
        reason = d.pop("reason", UNSET)

        _lines = d.pop("lines", UNSET)
        lines: list[CreditLine] | Unset = UNSET
        if _lines is not UNSET:
            lines = []
            for lines_item_data in _lines:
                lines_item = CreditLine.from_dict(lines_item_data)



                lines.append(lines_item)


        amount = d.pop("amount", UNSET)

        credit_note = cls(
            reason=reason,
            lines=lines,
            amount=amount,
        )

        return credit_note

