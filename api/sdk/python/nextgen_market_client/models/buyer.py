from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.address import Address





T = TypeVar("T", bound="Buyer")



@_attrs_define
class Buyer:
    """ 
        Attributes:
            name (str): Name or company Example: Acme GmbH.
            address (Address):
            email (None | str | Unset): Where the invoice is sent Example: billing@acme.example.
            tax_id (None | str | Unset): VAT id, e.g. FR12345678901 Example: DE123456789.
            is_business (bool | Unset): A business buyer (reverse charge may apply) Default: False. Example: True.
     """

    name: str
    address: Address
    email: None | str | Unset = UNSET
    tax_id: None | str | Unset = UNSET
    is_business: bool | Unset = False





    def to_dict(self) -> dict[str, Any]:
        from ..models.address import Address # noqa: PLC0415
        name = self.name

        address = self.address.to_dict()

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        tax_id: None | str | Unset
        if isinstance(self.tax_id, Unset):
            tax_id = UNSET
        else:
            tax_id = self.tax_id

        is_business = self.is_business


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
            "address": address,
        })
        if email is not UNSET:
            field_dict["email"] = email
        if tax_id is not UNSET:
            field_dict["tax_id"] = tax_id
        if is_business is not UNSET:
            field_dict["is_business"] = is_business

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.address import Address # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name")

        address = Address.from_dict(d.pop("address"))




        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))


        def _parse_tax_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tax_id = _parse_tax_id(d.pop("tax_id", UNSET))


        is_business = d.pop("is_business", UNSET)

        buyer = cls(
            name=name,
            address=address,
            email=email,
            tax_id=tax_id,
            is_business=is_business,
        )

        return buyer

