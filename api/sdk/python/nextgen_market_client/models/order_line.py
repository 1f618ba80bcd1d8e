from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.tax_category import TaxCategory
from ..types import UNSET, Unset
from uuid import UUID






T = TypeVar("T", bound="OrderLine")



@_attrs_define
class OrderLine:
    """ 
        Attributes:
            product_id (UUID | Unset): The product bought
            sku (str | Unset): The product's SKU when ordered Example: MUG-BLUE-350.
            name (str | Unset): The product's name when ordered Example: Blue mug, 350 ml.
            tax_category (TaxCategory | Unset): The tax class of a product or line; the rate follows from it, the buyer's
                country and the supply date.
            unit_price_amount (int | Unset): Catalogue price of one unit, integer minor units of `currency` (cents for EUR)
                Example: 1250.
            quantity (int | Unset): Units Example: 2.
            line_total_amount (int | Unset): Quantity x unit price, integer minor units of `currency` (cents for EUR)
                Example: 2500.
            tax_rate (str | Unset): The rate applied. A fraction with six decimals: 0.190000 is 19 % Example: 0.190000.
            net_amount (int | Unset): Without tax, integer minor units of `currency` (cents for EUR) Example: 2500.
            tax_amount (int | Unset): Tax of the line (rounded half up), integer minor units of `currency` (cents for EUR)
                Example: 475.
            gross_amount (int | Unset): With tax, integer minor units of `currency` (cents for EUR) Example: 2975.
     """

    product_id: UUID | Unset = UNSET
    sku: str | Unset = UNSET
    name: str | Unset = UNSET
    tax_category: TaxCategory | Unset = UNSET
    unit_price_amount: int | Unset = UNSET
    quantity: int | Unset = UNSET
    line_total_amount: int | Unset = UNSET
    tax_rate: str | Unset = UNSET
    net_amount: int | Unset = UNSET
    tax_amount: int | Unset = UNSET
    gross_amount: int | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        product_id: str | Unset = UNSET
        if not isinstance(self.product_id, Unset):
            product_id = str(self.product_id)

        sku = self.sku

        name = self.name

        tax_category: str | Unset = UNSET
        if not isinstance(self.tax_category, Unset):
            tax_category = self.tax_category.value


        unit_price_amount = self.unit_price_amount

        quantity = self.quantity

        line_total_amount = self.line_total_amount

        tax_rate = self.tax_rate

        net_amount = self.net_amount

        tax_amount = self.tax_amount

        gross_amount = self.gross_amount


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if product_id is not UNSET:
            field_dict["product_id"] = product_id
        if sku is not UNSET:
            field_dict["sku"] = sku
        if name is not UNSET:
            field_dict["name"] = name
        if tax_category is not UNSET:
            field_dict["tax_category"] = tax_category
        if unit_price_amount is not UNSET:
            field_dict["unit_price_amount"] = unit_price_amount
        if quantity is not UNSET:
            field_dict["quantity"] = quantity
        if line_total_amount is not UNSET:
            field_dict["line_total_amount"] = line_total_amount
        if tax_rate is not UNSET:
            field_dict["tax_rate"] = tax_rate
        if net_amount is not UNSET:
            field_dict["net_amount"] = net_amount
        if tax_amount is not UNSET:
            field_dict["tax_amount"] = tax_amount
        if gross_amount is not UNSET:
            field_dict["gross_amount"] = gross_amount

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _product_id = d.pop("product_id", UNSET)
        product_id: UUID | Unset
        if isinstance(_product_id,  Unset):
            product_id = UNSET
        else:
            product_id = UUID(_product_id)




        sku = d.pop("sku", UNSET)

        name = d.pop("name", UNSET)

        _tax_category = d.pop("tax_category", UNSET)
        tax_category: TaxCategory | Unset
        if isinstance(_tax_category,  Unset):
            tax_category = UNSET
        else:
            tax_category = TaxCategory(_tax_category)




        unit_price_amount = d.pop("unit_price_amount", UNSET)

        quantity = d.pop("quantity", UNSET)

        line_total_amount = d.pop("line_total_amount", UNSET)

        tax_rate = d.pop("tax_rate", UNSET)

        net_amount = d.pop("net_amount", UNSET)

        tax_amount = d.pop("tax_amount", UNSET)

        gross_amount = d.pop("gross_amount", UNSET)

        order_line = cls(
            product_id=product_id,
            sku=sku,
            name=name,
            tax_category=tax_category,
            unit_price_amount=unit_price_amount,
            quantity=quantity,
            line_total_amount=line_total_amount,
            tax_rate=tax_rate,
            net_amount=net_amount,
            tax_amount=tax_amount,
            gross_amount=gross_amount,
        )

        return order_line

