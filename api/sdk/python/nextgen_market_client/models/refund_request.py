from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.refund_request_status import RefundRequestStatus
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.refund_line import RefundLine





T = TypeVar("T", bound="RefundRequest")



@_attrs_define
class RefundRequest:
    """ 
        Attributes:
            id (UUID | Unset): Refund request id Example: 8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f.
            object_ (str | Unset): Always `refund_request` Example: refund_request.
            payment_id (UUID | Unset): The payment to refund Example: 5b0f8e4e-3c9b-5d1e-9f53-0c6a1d2e7b10.
            amount (int | Unset): Minor units of `currency` Example: 75000.
            currency (str | Unset): ISO 4217 code Example: EUR.
            reason (str | Unset): Why, as given Example: Order returned in full.
            status (RefundRequestStatus | Unset): requested -> approved (the refund is made) | rejected, by a second staff
                member Example: requested.
            refund_id (None | Unset | UUID): The refund made on approval
            pays_out_credit_note_id (None | Unset | UUID): The held credit note the refund will pay out; null for a refund
                that issues its own
            lines (list[RefundLine] | None | Unset): The returned items to refund (lines of the paid invoice); null for an
                amount
            created_at (datetime.datetime | Unset): UTC Example: 2026-12-03T09:00:00+00:00.
            decided_at (datetime.datetime | None | Unset): UTC
     """

    id: UUID | Unset = UNSET
    object_: str | Unset = UNSET
    payment_id: UUID | Unset = UNSET
    amount: int | Unset = UNSET
    currency: str | Unset = UNSET
    reason: str | Unset = UNSET
    status: RefundRequestStatus | Unset = UNSET
    refund_id: None | Unset | UUID = UNSET
    pays_out_credit_note_id: None | Unset | UUID = UNSET
    lines: list[RefundLine] | None | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    decided_at: datetime.datetime | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.refund_line import RefundLine # noqa: PLC0415
        id: str | Unset = UNSET
        if not isinstance(self.id, Unset):
            id = str(self.id)

        object_ = self.object_

        payment_id: str | Unset = UNSET
        if not isinstance(self.payment_id, Unset):
            payment_id = str(self.payment_id)

        amount = self.amount

        currency = self.currency

        reason = self.reason

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value


        refund_id: None | str | Unset
        if isinstance(self.refund_id, Unset):
            refund_id = UNSET
        elif isinstance(self.refund_id, UUID):
            refund_id = str(self.refund_id)
        else:
            refund_id = self.refund_id

        pays_out_credit_note_id: None | str | Unset
        if isinstance(self.pays_out_credit_note_id, Unset):
            pays_out_credit_note_id = UNSET
        elif isinstance(self.pays_out_credit_note_id, UUID):
            pays_out_credit_note_id = str(self.pays_out_credit_note_id)
        else:
            pays_out_credit_note_id = self.pays_out_credit_note_id

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

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        decided_at: None | str | Unset
        if isinstance(self.decided_at, Unset):
            decided_at = UNSET
        elif isinstance(self.decided_at, datetime.datetime):
            decided_at = self.decided_at.isoformat()
        else:
            decided_at = self.decided_at


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if id is not UNSET:
            field_dict["id"] = id
        if object_ is not UNSET:
            field_dict["object"] = object_
        if payment_id is not UNSET:
            field_dict["payment_id"] = payment_id
        if amount is not UNSET:
            field_dict["amount"] = amount
        if currency is not UNSET:
            field_dict["currency"] = currency
        if reason is not UNSET:
            field_dict["reason"] = reason
        if status is not UNSET:
            field_dict["status"] = status
        if refund_id is not UNSET:
            field_dict["refund_id"] = refund_id
        if pays_out_credit_note_id is not UNSET:
            field_dict["pays_out_credit_note_id"] = pays_out_credit_note_id
        if lines is not UNSET:
            field_dict["lines"] = lines
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if decided_at is not UNSET:
            field_dict["decided_at"] = decided_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.refund_line import RefundLine # noqa: PLC0415
        d = dict(src_dict)
        _id = d.pop("id", UNSET)
        id: UUID | Unset
        if isinstance(_id,  Unset):
            id = UNSET
        else:
            id = UUID(_id)




        object_ = d.pop("object", UNSET)

        _payment_id = d.pop("payment_id", UNSET)
        payment_id: UUID | Unset
        if isinstance(_payment_id,  Unset):
            payment_id = UNSET
        else:
            payment_id = UUID(_payment_id)




        amount = d.pop("amount", UNSET)

        currency = d.pop("currency", UNSET)

        reason = d.pop("reason", UNSET)

        _status = d.pop("status", UNSET)
        status: RefundRequestStatus | Unset
        if isinstance(_status,  Unset):
            status = UNSET
        else:
            status = RefundRequestStatus(_status)




        def _parse_refund_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                refund_id_type_0 = UUID(data)



                return refund_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        refund_id = _parse_refund_id(d.pop("refund_id", UNSET))


        def _parse_pays_out_credit_note_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                pays_out_credit_note_id_type_0 = UUID(data)



                return pays_out_credit_note_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        pays_out_credit_note_id = _parse_pays_out_credit_note_id(d.pop("pays_out_credit_note_id", UNSET))


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


        _created_at = d.pop("created_at", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at,  Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)




        def _parse_decided_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                decided_at_type_0 = datetime.datetime.fromisoformat(data)



                return decided_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        decided_at = _parse_decided_at(d.pop("decided_at", UNSET))


        refund_request = cls(
            id=id,
            object_=object_,
            payment_id=payment_id,
            amount=amount,
            currency=currency,
            reason=reason,
            status=status,
            refund_id=refund_id,
            pays_out_credit_note_id=pays_out_credit_note_id,
            lines=lines,
            created_at=created_at,
            decided_at=decided_at,
        )

        return refund_request

