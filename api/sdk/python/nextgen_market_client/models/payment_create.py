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
            amount (int): Minor units (cents for EUR, yen for JPY): must equal the open balance of the order or invoice
            currency (str): ISO 4217 code, the currency of the order or invoice
            order_id (None | Unset | UUID): The order to pay (or `invoice_id`, not both)
            invoice_id (None | Unset | UUID): An issued invoice that has no order (a manual invoice) to pay, instead of
                `order_id`; an order's invoice is paid with its order
            method (PaymentCreateMethod | Unset): `card` (Stripe) or `paypal` (answers `approval_url`); the others are not
                taken through this endpoint Default: PaymentCreateMethod.CARD. Example: paypal.
            payment_method (None | str | Unset): Optional Stripe PaymentMethod id (pm_...) from Stripe.js: the payment is
                confirmed at once (3-D Secure may follow)
            payment_method_id (None | Unset | UUID): A saved card of the payer (`GET /customers/me/payment-methods`), method
                `card`: charged at once from the server (3-D Secure may follow as `requires_action`; a partner charges off
                session)
     """

    amount: int
    currency: str
    order_id: None | Unset | UUID = UNSET
    invoice_id: None | Unset | UUID = UNSET
    method: PaymentCreateMethod | Unset = PaymentCreateMethod.CARD
    payment_method: None | str | Unset = UNSET
    payment_method_id: None | Unset | UUID = UNSET





    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        currency = self.currency

        order_id: None | str | Unset
        if isinstance(self.order_id, Unset):
            order_id = UNSET
        elif isinstance(self.order_id, UUID):
            order_id = str(self.order_id)
        else:
            order_id = self.order_id

        invoice_id: None | str | Unset
        if isinstance(self.invoice_id, Unset):
            invoice_id = UNSET
        elif isinstance(self.invoice_id, UUID):
            invoice_id = str(self.invoice_id)
        else:
            invoice_id = self.invoice_id

        method: str | Unset = UNSET
        if not isinstance(self.method, Unset):
            method = self.method.value


        payment_method: None | str | Unset
        if isinstance(self.payment_method, Unset):
            payment_method = UNSET
        else:
            payment_method = self.payment_method

        payment_method_id: None | str | Unset
        if isinstance(self.payment_method_id, Unset):
            payment_method_id = UNSET
        elif isinstance(self.payment_method_id, UUID):
            payment_method_id = str(self.payment_method_id)
        else:
            payment_method_id = self.payment_method_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "amount": amount,
            "currency": currency,
        })
        if order_id is not UNSET:
            field_dict["order_id"] = order_id
        if invoice_id is not UNSET:
            field_dict["invoice_id"] = invoice_id
        if method is not UNSET:
            field_dict["method"] = method
        if payment_method is not UNSET:
            field_dict["payment_method"] = payment_method
        if payment_method_id is not UNSET:
            field_dict["payment_method_id"] = payment_method_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        currency = d.pop("currency")

        def _parse_order_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                order_id_type_0 = UUID(data)



                return order_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        order_id = _parse_order_id(d.pop("order_id", UNSET))


        def _parse_invoice_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                invoice_id_type_0 = UUID(data)



                return invoice_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        invoice_id = _parse_invoice_id(d.pop("invoice_id", UNSET))


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


        def _parse_payment_method_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                payment_method_id_type_0 = UUID(data)



                return payment_method_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        payment_method_id = _parse_payment_method_id(d.pop("payment_method_id", UNSET))


        payment_create = cls(
            amount=amount,
            currency=currency,
            order_id=order_id,
            invoice_id=invoice_id,
            method=method,
            payment_method=payment_method,
            payment_method_id=payment_method_id,
        )

        return payment_create

