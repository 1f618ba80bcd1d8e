from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.payment_create_method import PaymentCreateMethod
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="PaymentCreate")



@_attrs_define
class PaymentCreate:
    """ 
        Attributes:
            order_id (UUID): The order to pay
            amount (int): Minor units (cents for EUR, yen for JPY): must equal the order's open balance
            currency (str): ISO 4217 code, the order's currency
            method (PaymentCreateMethod | Unset): `card` (Stripe) or `paypal` (answers `approval_url`); the others are not
                taken through this endpoint Default: PaymentCreateMethod.CARD. Example: paypal.
            payment_method (None | str | Unset): Optional Stripe PaymentMethod id (pm_...) from Stripe.js: the payment is
                confirmed at once (3-D Secure may follow)
     """

    order_id: UUID
    amount: int
    currency: str
    method: PaymentCreateMethod | Unset = PaymentCreateMethod.CARD
    payment_method: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        order_id = str(self.order_id)

        amount = self.amount

        currency = self.currency

        method: str | Unset = UNSET
        if not isinstance(self.method, Unset):
            method = self.method.value


        payment_method: None | str | Unset
        if isinstance(self.payment_method, Unset):
            payment_method = UNSET
        else:
            payment_method = self.payment_method


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "order_id": order_id,
            "amount": amount,
            "currency": currency,
        })
        if method is not UNSET:
            field_dict["method"] = method
        if payment_method is not UNSET:
            field_dict["payment_method"] = payment_method

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        order_id = UUID(d.pop("order_id"))




        amount = d.pop("amount")

        currency = d.pop("currency")

        _method = d.pop("method", UNSET)
        method: PaymentCreateMethod | Unset
        if isinstance(_method,  Unset):
            method = UNSET
        else:
            method = PaymentCreateMethod(_method)




        def _parse_payment_method(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        payment_method = _parse_payment_method(d.pop("payment_method", UNSET))


        payment_create = cls(
            order_id=order_id,
            amount=amount,
            currency=currency,
            method=method,
            payment_method=payment_method,
        )

        return payment_create

