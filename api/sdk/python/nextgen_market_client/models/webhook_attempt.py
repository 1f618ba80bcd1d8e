from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="WebhookAttempt")



@_attrs_define
class WebhookAttempt:
    """ 
        Attributes:
            number (int | Unset): 1 for the first attempt
            started_at (datetime.datetime | Unset): When the request was sent (UTC)
            duration_ms (int | Unset): Until the answer, in milliseconds
            response_status (int | None | Unset): Your HTTP status (null when no answer came)
            response_excerpt (str | Unset): The first 2 KB of your answer's body, control characters escaped
            error (None | str | Unset): What failed (timeout, connection, HTTP status); null on success
            next_retry_at (datetime.datetime | None | Unset): When the next attempt is due (null: none follows)
     """

    number: int | Unset = UNSET
    started_at: datetime.datetime | Unset = UNSET
    duration_ms: int | Unset = UNSET
    response_status: int | None | Unset = UNSET
    response_excerpt: str | Unset = UNSET
    error: None | str | Unset = UNSET
    next_retry_at: datetime.datetime | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        number = self.number

        started_at: str | Unset = UNSET
        if not isinstance(self.started_at, Unset):
            started_at = self.started_at.isoformat()

        duration_ms = self.duration_ms

        response_status: int | None | Unset
        if isinstance(self.response_status, Unset):
            response_status = UNSET
        else:
            response_status = self.response_status

        response_excerpt = self.response_excerpt

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        next_retry_at: None | str | Unset
        if isinstance(self.next_retry_at, Unset):
            next_retry_at = UNSET
        elif isinstance(self.next_retry_at, datetime.datetime):
            next_retry_at = self.next_retry_at.isoformat()
        else:
            next_retry_at = self.next_retry_at


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if number is not UNSET:
            field_dict["number"] = number
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if duration_ms is not UNSET:
            field_dict["duration_ms"] = duration_ms
        if response_status is not UNSET:
            field_dict["response_status"] = response_status
        if response_excerpt is not UNSET:
            field_dict["response_excerpt"] = response_excerpt
        if error is not UNSET:
            field_dict["error"] = error
        if next_retry_at is not UNSET:
            field_dict["next_retry_at"] = next_retry_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        number = d.pop("number", UNSET)

        _started_at = d.pop("started_at", UNSET)
        started_at: datetime.datetime | Unset
        if isinstance(_started_at,  Unset):
            started_at = UNSET
        else:
            started_at = datetime.datetime.fromisoformat(_started_at)




        duration_ms = d.pop("duration_ms", UNSET)

        def _parse_response_status(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        response_status = _parse_response_status(d.pop("response_status", UNSET))


        response_excerpt = d.pop("response_excerpt", UNSET)

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))


        def _parse_next_retry_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_retry_at_type_0 = datetime.datetime.fromisoformat(data)



                return next_retry_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        next_retry_at = _parse_next_retry_at(d.pop("next_retry_at", UNSET))


        webhook_attempt = cls(
            number=number,
            started_at=started_at,
            duration_ms=duration_ms,
            response_status=response_status,
            response_excerpt=response_excerpt,
            error=error,
            next_retry_at=next_retry_at,
        )

        return webhook_attempt

