from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="SavedPaymentMethodCreate")



@_attrs_define
class SavedPaymentMethodCreate:
    """ 
        Attributes:
            payment_method (str): The Stripe PaymentMethod id (pm_...) the confirmed SetupIntent names Example:
                pm_1Nq2XyAbCdEf.
     """

    payment_method: str





    def to_dict(self) -> dict[str, Any]:
        payment_method = self.payment_method


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "payment_method": payment_method,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        payment_method = d.pop("payment_method")

        saved_payment_method_create = cls(
            payment_method=payment_method,
        )

        return saved_payment_method_create

