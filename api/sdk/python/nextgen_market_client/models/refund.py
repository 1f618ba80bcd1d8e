from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.refund_status import RefundStatus
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.refunded_line import RefundedLine





T = TypeVar("T", bound="Refund")



@_attrs_define
class Refund:
    """ 
        Attributes:
            id (UUID | Unset): Refund id
            object_ (str | Unset): Always `refund`
            payment_id (UUID | Unset): The payment refunded
            amount (int | Unset): Minor units of `currency`
            currency (str | Unset): ISO 4217 code
            status (RefundStatus | Unset): pending -> succeeded | failed
            reason (str | Unset): Why, as given
            gateway_refund_id (None | str | Unset): The gateway's refund id (Stripe re_...)
            credit_note_id (None | Unset | UUID): The credit note for exactly this amount, once succeeded: the one it
                issued, or the one it pays out
            pays_out_credit_note_id (None | Unset | UUID): The held credit note this refund pays out (it issues none); null
                for a refund that issues its own
            lines (list[RefundedLine] | None | Unset): The returned items it refunds (its credit note credits these lines);
                null for a refund of an amount
            failure_code (None | str | Unset): Why it failed
            failure_message (None | str | Unset): Why it failed, in words
            created_at (datetime.datetime | Unset): UTC
            updated_at (datetime.datetime | Unset): UTC
     """

    id: UUID | Unset = UNSET
    object_: str | Unset = UNSET
    payment_id: UUID | Unset = UNSET
    amount: int | Unset = UNSET
    currency: str | Unset = UNSET
    status: RefundStatus | Unset = UNSET
    reason: str | Unset = UNSET
    gateway_refund_id: None | str | Unset = UNSET
    credit_note_id: None | Unset | UUID = UNSET
    pays_out_credit_note_id: None | Unset | UUID = UNSET
    lines: list[RefundedLine] | None | Unset = UNSET
    failure_code: None | str | Unset = UNSET
    failure_message: None | str | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    updated_at: datetime.datetime | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.refunded_line import RefundedLine # noqa: PLC0415
        id: str | Unset = UNSET
        if not isinstance(self.id, Unset):
            id = str(self.id)

        object_ = self.object_

        payment_id: str | Unset = UNSET
        if not isinstance(self.payment_id, Unset):
            payment_id = str(self.payment_id)

        amount = self.amount

        currency = self.currency

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value


        reason = self.reason

        gateway_refund_id: None | str | Unset
        if isinstance(self.gateway_refund_id, Unset):
            gateway_refund_id = UNSET
        else:
            gateway_refund_id = self.gateway_refund_id

        credit_note_id: None | str | Unset
        if isinstance(self.credit_note_id, Unset):
            credit_note_id = UNSET
        elif isinstance(self.credit_note_id, UUID):
            credit_note_id = str(self.credit_note_id)
        else:
            credit_note_id = self.credit_note_id

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

        failure_code: None | str | Unset
        if isinstance(self.failure_code, Unset):
            failure_code = UNSET
        else:
            failure_code = self.failure_code

        failure_message: None | str | Unset
        if isinstance(self.failure_message, Unset):
            failure_message = UNSET
        else:
            failure_message = self.failure_message

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
        if object_ is not UNSET:
            field_dict["object"] = object_
        if payment_id is not UNSET:
            field_dict["payment_id"] = payment_id
        if amount is not UNSET:
            field_dict["amount"] = amount
        if currency is not UNSET:
            field_dict["currency"] = currency
        if status is not UNSET:
            field_dict["status"] = status
        if reason is not UNSET:
            field_dict["reason"] = reason
        if gateway_refund_id is not UNSET:
            field_dict["gateway_refund_id"] = gateway_refund_id
        if credit_note_id is not UNSET:
            field_dict["credit_note_id"] = credit_note_id
        if pays_out_credit_note_id is not UNSET:
            field_dict["pays_out_credit_note_id"] = pays_out_credit_note_id
        if lines is not UNSET:
            field_dict["lines"] = lines
        if failure_code is not UNSET:
            field_dict["failure_code"] = failure_code
        if failure_message is not UNSET:
            field_dict["failure_message"] = failure_message
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.refunded_line import RefundedLine # noqa: PLC0415
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

        _status = d.pop("status", UNSET)
        status: RefundStatus | Unset
        if isinstance(_status,  Unset):
            status = UNSET
        else:
            status = RefundStatus(_status)




        reason = d.pop("reason", UNSET)

        def _parse_gateway_refund_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        gateway_refund_id = _parse_gateway_refund_id(d.pop("gateway_refund_id", UNSET))


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


        def _parse_lines(data: object) -> list[RefundedLine] | None | Unset:
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
                    lines_type_0_item = RefundedLine.from_dict(lines_type_0_item_data)



                    lines_type_0.append(lines_type_0_item)

                return lines_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[RefundedLine] | None | Unset, data)

        lines = _parse_lines(d.pop("lines", UNSET))


        def _parse_failure_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        failure_code = _parse_failure_code(d.pop("failure_code", UNSET))


        def _parse_failure_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        failure_message = _parse_failure_message(d.pop("failure_message", UNSET))


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




        refund = cls(
            id=id,
            object_=object_,
            payment_id=payment_id,
            amount=amount,
            currency=currency,
            status=status,
            reason=reason,
            gateway_refund_id=gateway_refund_id,
            credit_note_id=credit_note_id,
            pays_out_credit_note_id=pays_out_credit_note_id,
            lines=lines,
            failure_code=failure_code,
            failure_message=failure_message,
            created_at=created_at,
            updated_at=updated_at,
        )

        return refund

