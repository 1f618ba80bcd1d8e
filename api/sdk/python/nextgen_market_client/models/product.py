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
import datetime






T = TypeVar("T", bound="Product")



@_attrs_define
class Product:
    """ 
        Attributes:
            id (UUID | Unset): The product's id
            sku (str | Unset): Stock keeping unit, unique: 1-64 of A-Z a-z 0-9 . _ - Example: MUG-BLUE-350.
            name (str | Unset): Display name Example: Blue mug, 350 ml.
            description (str | Unset): Long description (plain text) Example: Stoneware, dishwasher safe..
            price_amount (int | Unset): Integer minor units (cents), with `currency`; never a float. Example: 1250.
            currency (str | Unset): ISO 4217 code of `price_amount` Example: EUR.
            tax_category (TaxCategory | Unset): The tax class of a product or line; the rate follows from it, the buyer's
                country and the supply date.
            active (bool | Unset): Inactive products are hidden from the public catalogue Example: True.
            stock_on_hand (int | Unset): Units in stock Example: 40.
            category_id (None | Unset | UUID): The product's category, or null
            image_url (None | str | Unset): Absolute URL of the product image, or null Example: https://cdn.example.com/mug-
                blue.jpg.
            created_at (datetime.datetime | Unset): RFC 3339 timestamp (UTC) of creation
            updated_at (datetime.datetime | Unset): RFC 3339 timestamp (UTC) of the last change
     """

    id: UUID | Unset = UNSET
    sku: str | Unset = UNSET
    name: str | Unset = UNSET
    description: str | Unset = UNSET
    price_amount: int | Unset = UNSET
    currency: str | Unset = UNSET
    tax_category: TaxCategory | Unset = UNSET
    active: bool | Unset = UNSET
    stock_on_hand: int | Unset = UNSET
    category_id: None | Unset | UUID = UNSET
    image_url: None | str | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    updated_at: datetime.datetime | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        id: str | Unset = UNSET
        if not isinstance(self.id, Unset):
            id = str(self.id)

        sku = self.sku

        name = self.name

        description = self.description

        price_amount = self.price_amount

        currency = self.currency

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
        if sku is not UNSET:
            field_dict["sku"] = sku
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if price_amount is not UNSET:
            field_dict["price_amount"] = price_amount
        if currency is not UNSET:
            field_dict["currency"] = currency
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
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

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




        sku = d.pop("sku", UNSET)

        name = d.pop("name", UNSET)

        description = d.pop("description", UNSET)

        price_amount = d.pop("price_amount", UNSET)

        currency = d.pop("currency", UNSET)

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




        product = cls(
            id=id,
            sku=sku,
            name=name,
            description=description,
            price_amount=price_amount,
            currency=currency,
            tax_category=tax_category,
            active=active,
            stock_on_hand=stock_on_hand,
            category_id=category_id,
            image_url=image_url,
            created_at=created_at,
            updated_at=updated_at,
        )

        return product

