from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.tax_category import TaxCategory
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="LineCreate")



@_attrs_define
class LineCreate:
    """ 
        Attributes:
            quantity (int): Units Example: 3.
            description (str | Unset): Line text; default: the product's name Default: ''. Example: Consulting, March.
            unit_amount (int | None | Unset): Price of one unit, integer minor units of the invoice's currency; default: the
                product's price Example: 12000.
            tax_category (None | TaxCategory | Unset): Tax class; default: the product's, else standard
            product_id (None | Unset | UUID): The catalogue product billed, or null for a free-text line
     """

    quantity: int
    description: str | Unset = ''
    unit_amount: int | None | Unset = UNSET
    tax_category: None | TaxCategory | Unset = UNSET
    product_id: None | Unset | UUID = UNSET





    def to_dict(self) -> dict[str, Any]:
        quantity = self.quantity

        description = self.description

        unit_amount: int | None | Unset
        if isinstance(self.unit_amount, Unset):
            unit_amount = UNSET
        else:
            unit_amount = self.unit_amount

        tax_category: None | str | Unset
        if isinstance(self.tax_category, Unset):
            tax_category = UNSET
        elif isinstance(self.tax_category, TaxCategory):
            tax_category = self.tax_category.value
        else:
            tax_category = self.tax_category

        product_id: None | str | Unset
        if isinstance(self.product_id, Unset):
            product_id = UNSET
        elif isinstance(self.product_id, UUID):
            product_id = str(self.product_id)
        else:
            product_id = self.product_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "quantity": quantity,
        })
        if description is not UNSET:
            field_dict["description"] = description
        if unit_amount is not UNSET:
            field_dict["unit_amount"] = unit_amount
        if tax_category is not UNSET:
            field_dict["tax_category"] = tax_category
        if product_id is not UNSET:
            field_dict["product_id"] = product_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        quantity = d.pop("quantity")

        description = d.pop("description", UNSET)

        def _parse_unit_amount(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        unit_amount = _parse_unit_amount(d.pop("unit_amount", UNSET))


        def _parse_tax_category(data: object) -> None | TaxCategory | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                tax_category_type_0 = TaxCategory(data)



                return tax_category_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaxCategory | Unset, data)

        tax_category = _parse_tax_category(d.pop("tax_category", UNSET))


        def _parse_product_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                product_id_type_0 = UUID(data)



                return product_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        product_id = _parse_product_id(d.pop("product_id", UNSET))


        line_create = cls(
            quantity=quantity,
            description=description,
            unit_amount=unit_amount,
            tax_category=tax_category,
            product_id=product_id,
        )

        return line_create

