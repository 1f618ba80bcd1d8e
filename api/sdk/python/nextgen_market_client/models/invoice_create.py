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
  from ..models.buyer import Buyer





T = TypeVar("T", bound="InvoiceCreate")



@_attrs_define
class InvoiceCreate:
    """ 
        Attributes:
            currency (str): ISO 4217 currency code Example: EUR.
            buyer (Buyer):
            customer_id (None | Unset | UUID): The end user it belongs to (who may then read it), or null
            tax_inclusive (bool | Unset): Whether line unit amounts include tax Default: False. Example: False.
            notes (str | Unset): Free text printed on the invoice Default: ''. Example: Thank you!.
     """

    currency: str
    buyer: Buyer
    customer_id: None | Unset | UUID = UNSET
    tax_inclusive: bool | Unset = False
    notes: str | Unset = ''





    def to_dict(self) -> dict[str, Any]:
        from ..models.buyer import Buyer # noqa: PLC0415
        currency = self.currency

        buyer = self.buyer.to_dict()

        customer_id: None | str | Unset
        if isinstance(self.customer_id, Unset):
            customer_id = UNSET
        elif isinstance(self.customer_id, UUID):
            customer_id = str(self.customer_id)
        else:
            customer_id = self.customer_id

        tax_inclusive = self.tax_inclusive

        notes = self.notes


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "currency": currency,
            "buyer": buyer,
        })
        if customer_id is not UNSET:
            field_dict["customer_id"] = customer_id
        if tax_inclusive is not UNSET:
            field_dict["tax_inclusive"] = tax_inclusive
        if notes is not UNSET:
            field_dict["notes"] = notes

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.buyer import Buyer # noqa: PLC0415
        d = dict(src_dict)
        currency = d.pop("currency")

        buyer = Buyer.from_dict(d.pop("buyer"))




        def _parse_customer_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                customer_id_type_0 = UUID(data)



                return customer_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        customer_id = _parse_customer_id(d.pop("customer_id", UNSET))


        tax_inclusive = d.pop("tax_inclusive", UNSET)

        notes = d.pop("notes", UNSET)

        invoice_create = cls(
            currency=currency,
            buyer=buyer,
            customer_id=customer_id,
            tax_inclusive=tax_inclusive,
            notes=notes,
        )

        return invoice_create

