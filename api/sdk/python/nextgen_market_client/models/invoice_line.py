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






T = TypeVar("T", bound="InvoiceLine")



@_attrs_define
class InvoiceLine:
    """ 
        Attributes:
            id (UUID | Unset): The line's id
            position (int | Unset): 1-based order on the invoice Example: 1.
            description (str | Unset): Line text Example: Consulting, March.
            sku (None | str | Unset): The product's SKU, for a product line
            product_id (None | Unset | UUID): The product billed, or null
            quantity (int | Unset): Units Example: 3.
            unit_amount (int | Unset): Price of one unit, integer minor units of `currency` (cents for EUR) Example: 12000.
            tax_category (TaxCategory | Unset): The tax class of a product or line; the rate follows from it, the buyer's
                country and the supply date.
            tax_rate (str | Unset): The rate applied, a fraction with six decimals: 0.190000 is 19 % Example: 0.190000.
            net_amount (int | Unset): Without tax, integer minor units of `currency` (cents for EUR) Example: 36000.
            tax_amount (int | Unset): Tax (rounded half up), integer minor units of `currency` (cents for EUR) Example:
                6840.
            gross_amount (int | Unset): With tax, integer minor units of `currency` (cents for EUR) Example: 42840.
            credits_line_id (None | Unset | UUID): On a credit note: the line of the invoice it credits
     """

    id: UUID | Unset = UNSET
    position: int | Unset = UNSET
    description: str | Unset = UNSET
    sku: None | str | Unset = UNSET
    product_id: None | Unset | UUID = UNSET
    quantity: int | Unset = UNSET
    unit_amount: int | Unset = UNSET
    tax_category: TaxCategory | Unset = UNSET
    tax_rate: str | Unset = UNSET
    net_amount: int | Unset = UNSET
    tax_amount: int | Unset = UNSET
    gross_amount: int | Unset = UNSET
    credits_line_id: None | Unset | UUID = UNSET





    def to_dict(self) -> dict[str, Any]:
        id: str | Unset = UNSET
        if not isinstance(self.id, Unset):
            id = str(self.id)

        position = self.position

        description = self.description

        sku: None | str | Unset
        if isinstance(self.sku, Unset):
            sku = UNSET
        else:
            sku = self.sku

        product_id: None | str | Unset
        if isinstance(self.product_id, Unset):
            product_id = UNSET
        elif isinstance(self.product_id, UUID):
            product_id = str(self.product_id)
        else:
            product_id = self.product_id

        quantity = self.quantity

        unit_amount = self.unit_amount

        tax_category: str | Unset = UNSET
        if not isinstance(self.tax_category, Unset):
            tax_category = self.tax_category.value


        tax_rate = self.tax_rate

        net_amount = self.net_amount

        tax_amount = self.tax_amount

        gross_amount = self.gross_amount

        credits_line_id: None | str | Unset
        if isinstance(self.credits_line_id, Unset):
            credits_line_id = UNSET
        elif isinstance(self.credits_line_id, UUID):
            credits_line_id = str(self.credits_line_id)
        else:
            credits_line_id = self.credits_line_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if id is not UNSET:
            field_dict["id"] = id
        if position is not UNSET:
            field_dict["position"] = position
        if description is not UNSET:
            field_dict["description"] = description
        if sku is not UNSET:
            field_dict["sku"] = sku
        if product_id is not UNSET:
            field_dict["product_id"] = product_id
        if quantity is not UNSET:
            field_dict["quantity"] = quantity
        if unit_amount is not UNSET:
            field_dict["unit_amount"] = unit_amount
        if tax_category is not UNSET:
            field_dict["tax_category"] = tax_category
        if tax_rate is not UNSET:
            field_dict["tax_rate"] = tax_rate
        if net_amount is not UNSET:
            field_dict["net_amount"] = net_amount
        if tax_amount is not UNSET:
            field_dict["tax_amount"] = tax_amount
        if gross_amount is not UNSET:
            field_dict["gross_amount"] = gross_amount
        if credits_line_id is not UNSET:
            field_dict["credits_line_id"] = credits_line_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _id = d.pop("id", UNSET)
        id: UUID | Unset
        if isinstance(_id,  Unset):
            id = UNSET
        else:
            id = UUID(_id)




        position = d.pop("position", UNSET)

        description = d.pop("description", UNSET)

        def _parse_sku(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sku = _parse_sku(d.pop("sku", UNSET))


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


        quantity = d.pop("quantity", UNSET)

        unit_amount = d.pop("unit_amount", UNSET)

        _tax_category = d.pop("tax_category", UNSET)
        tax_category: TaxCategory | Unset
        if isinstance(_tax_category,  Unset):
            tax_category = UNSET
        else:
            tax_category = TaxCategory(_tax_category)




        tax_rate = d.pop("tax_rate", UNSET)

        net_amount = d.pop("net_amount", UNSET)

        tax_amount = d.pop("tax_amount", UNSET)

        gross_amount = d.pop("gross_amount", UNSET)

        def _parse_credits_line_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                credits_line_id_type_0 = UUID(data)



                return credits_line_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        credits_line_id = _parse_credits_line_id(d.pop("credits_line_id", UNSET))


        invoice_line = cls(
            id=id,
            position=position,
            description=description,
            sku=sku,
            product_id=product_id,
            quantity=quantity,
            unit_amount=unit_amount,
            tax_category=tax_category,
            tax_rate=tax_rate,
            net_amount=net_amount,
            tax_amount=tax_amount,
            gross_amount=gross_amount,
            credits_line_id=credits_line_id,
        )

        return invoice_line

