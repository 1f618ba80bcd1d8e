from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.currency import Currency
from ..models.tax_category import TaxCategory
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="ProductCreate")



@_attrs_define
class ProductCreate:
    """ 
        Attributes:
            sku (str): Stock keeping unit, unique: 1-64 of A-Z a-z 0-9 . _ - Example: MUG-BLUE-350.
            name (str): Display name Example: Blue mug, 350 ml.
            price_amount (int): Integer minor units (cents), with `currency`; never a float. Example: 1250.
            currency (Currency): ISO 4217 code of a currency the catalogue prices in.
            description (str | Unset): Long description (plain text) Example: Stoneware, dishwasher safe..
            tax_category (TaxCategory | Unset): The tax class of a product or line; the rate follows from it, the buyer's
                country and the supply date.
            active (bool | Unset): Inactive products are hidden from the public catalogue Example: True.
            stock_on_hand (int | Unset): Units in stock Example: 40.
            category_id (None | Unset | UUID): The product's category, or null
            image_url (None | str | Unset): Absolute URL of the product image, or null Example: https://cdn.example.com/mug-
                blue.jpg.
     """

    sku: str
    name: str
    price_amount: int
    currency: Currency
    description: str | Unset = UNSET
    tax_category: TaxCategory | Unset = UNSET
    active: bool | Unset = UNSET
    stock_on_hand: int | Unset = UNSET
    category_id: None | Unset | UUID = UNSET
    image_url: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        sku = self.sku

        name = self.name

        price_amount = self.price_amount

        currency = self.currency.value

        description = self.description

        tax_category: str | Unset = UNSET
        if not isinstance(self.tax_category, Unset):
            tax_category = self.tax_category.value


        active = self.active

        stock_on_hand = self.stock_on_hand

        category_id: None | str | Unset
        if isinstance(self.category_id, Unset):
            category_id = UNSET
        elif isinstance(self.category_id, UUID):
            category_id = str(self.category_id)
        else:
            category_id = self.category_id

        image_url: None | str | Unset
        if isinstance(self.image_url, Unset):
            image_url = UNSET
        else:
            image_url = self.image_url


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "sku": sku,
            "name": name,
            "price_amount": price_amount,
            "currency": currency,
        })
        if description is not UNSET:
            field_dict["description"] = description
        if tax_category is not UNSET:
            field_dict["tax_category"] = tax_category
        if active is not UNSET:
            field_dict["active"] = active
        if stock_on_hand is not UNSET:
            field_dict["stock_on_hand"] = stock_on_hand
        if category_id is not UNSET:
            field_dict["category_id"] = category_id
        if image_url is not UNSET:
            field_dict["image_url"] = image_url

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        sku = d.pop("sku")

        name = d.pop("name")

        price_amount = d.pop("price_amount")

        currency = Currency(d.pop("currency"))




        description = d.pop("description", UNSET)

        _tax_category = d.pop("tax_category", UNSET)
        tax_category: TaxCategory | Unset
        if isinstance(_tax_category,  Unset):
            tax_category = UNSET
        else:
            tax_category = TaxCategory(_tax_category)




        active = d.pop("active", UNSET)

        stock_on_hand = d.pop("stock_on_hand", UNSET)

        def _parse_category_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                category_id_type_0 = UUID(data)



                return category_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        category_id = _parse_category_id(d.pop("category_id", UNSET))


        def _parse_image_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        image_url = _parse_image_url(d.pop("image_url", UNSET))


        product_create = cls(
            sku=sku,
            name=name,
            price_amount=price_amount,
            currency=currency,
            description=description,
            tax_category=tax_category,
            active=active,
            stock_on_hand=stock_on_hand,
            category_id=category_id,
            image_url=image_url,
        )

        return product_create

