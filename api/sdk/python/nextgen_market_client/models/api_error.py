from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.api_error_errors import ApiErrorErrors





T = TypeVar("T", bound="ApiError")



@_attrs_define
class ApiError:
    """ 
        Attributes:
            code (int): HTTP status code Example: 422.
            status (str): HTTP status name Example: Unprocessable Entity.
            message (str): What went wrong Example: The request is not valid..
            request_id (None | str): Quote this to support Example: b7e2c1d4a9f84d0c.
            errors (ApiErrorErrors | Unset): Per-field or per-location details Example: {'json': {'lines': {'0':
                {'quantity': ['Must be between 1 and 1000.']}}}}.
     """

    code: int
    status: str
    message: str
    request_id: None | str
    errors: ApiErrorErrors | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.api_error_errors import ApiErrorErrors # noqa: PLC0415
        code = self.code

        status = self.status

        message = self.message

        request_id: None | str
        request_id = self.request_id

        errors: dict[str, Any] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = self.errors.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "code": code,
            "status": status,
            "message": message,
            "request_id": request_id,
        })
        if errors is not UNSET:
            field_dict["errors"] = errors

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.api_error_errors import ApiErrorErrors # noqa: PLC0415
        d = dict(src_dict)
        code = d.pop("code")

        status = d.pop("status")

        message = d.pop("message")

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))


        _errors = d.pop("errors", UNSET)
        errors: ApiErrorErrors | Unset
        if isinstance(_errors,  Unset):
            errors = UNSET
        else:
            errors = ApiErrorErrors.from_dict(_errors)




        api_error = cls(
            code=code,
            status=status,
            message=message,
            request_id=request_id,
            errors=errors,
        )

        return api_error

