from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.refund_line import RefundLine





T = TypeVar("T", bound="RefundCreate")



@_attrs_define
class RefundCreate:
    """ 
        Attributes:
            amount (int | None | Unset): Minor units of the payment's currency; omitted: all that remains (or, with `lines`,
                what those units come to)
            lines (list[RefundLine] | None | Unset): Returned items instead of an amount: lines and quantities of the
                invoice this payment paid. The refund is what those units have left to credit, and its credit note credits those
                lines
            reason (str | Unset): Why; printed on the credit note Default: ''.
            credit_note_id (None | Unset | UUID): Pay out this credit note, one the customer holds as a credit (issued on
                the invoice this payment paid, by no refund): the refund is for its amount (`amount` omitted or equal) and
                issues no credit note of its own
     """

    amount: int | None | Unset = UNSET
    lines: list[RefundLine] | None | Unset = UNSET
    reason: str | Unset = ''
    credit_note_id: None | Unset | UUID = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.refund_line import RefundLine # noqa: PLC0415
        amount: int | None | Unset
        if isinstance(self.amount, Unset):
            amount = UNSET
        else:
            amount = self.amount

        lines: list[dict[str, Any]] | None | Unset
        if isinstance(self.lines, Unset):
            lines = UNSET
        elif isinstance(self.lines, list):
            lines = []
            for lines_type_0_item_data in self.lines:
                lines_type_0_item = lines_type_0_item_data.to_dict()
                lines.append(lines_type_0_item)


        else:
            lines = self.lines

        reason = self.reason

        credit_note_id: None | str | Unset
        if isinstance(self.credit_note_id, Unset):
            credit_note_id = UNSET
        elif isinstance(self.credit_note_id, UUID):
            credit_note_id = str(self.credit_note_id)
        else:
            credit_note_id = self.credit_note_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if amount is not UNSET:
            field_dict["amount"] = amount
        if lines is not UNSET:
            field_dict["lines"] = lines
        if reason is not UNSET:
            field_dict["reason"] = reason
        if credit_note_id is not UNSET:
            field_dict["credit_note_id"] = credit_note_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.refund_line import RefundLine # noqa: PLC0415
        d = dict(src_dict)
        def _parse_amount(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        amount = _parse_amount(d.pop("amount", UNSET))


        def _parse_lines(data: object) -> list[RefundLine] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                lines_type_0 = []
                _lines_type_0 = data
                for lines_type_0_item_data in (_lines_type_0):
                    lines_type_0_item = RefundLine.from_dict(lines_type_0_item_data)



                    lines_type_0.append(lines_type_0_item)

                return lines_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[RefundLine] | None | Unset, data)

        lines = _parse_lines(d.pop("lines", UNSET))


        reason = d.pop("reason", UNSET)

        def _parse_credit_note_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                credit_note_id_type_0 = UUID(data)



                return credit_note_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        credit_note_id = _parse_credit_note_id(d.pop("credit_note_id", UNSET))


        refund_create = cls(
            amount=amount,
            lines=lines,
            reason=reason,
            credit_note_id=credit_note_id,
        )

        return refund_create

