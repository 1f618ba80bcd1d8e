from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.tax_treatment import TaxTreatment
from ..types import UNSET, Unset






T = TypeVar("T", bound="TaxBreakdown")



@_attrs_define
class TaxBreakdown:
    """ 
        Attributes:
            treatment (TaxTreatment | Unset): How tax applies to a group of lines.
            rate (str | Unset): A fraction with six decimals: 0.190000 is 19 % Example: 0.190000.
            net_amount (int | Unset): Sum of the nets taxed this way, integer minor units of `currency` (cents for EUR)
                Example: 2500.
            tax_amount (int | Unset): Sum of their taxes, integer minor units of `currency` (cents for EUR) Example: 475.
     """

    treatment: TaxTreatment | Unset = UNSET
    rate: str | Unset = UNSET
    net_amount: int | Unset = UNSET
    tax_amount: int | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        treatment: str | Unset = UNSET
        if not isinstance(self.treatment, Unset):
            treatment = self.treatment.value


        rate = self.rate

        net_amount = self.net_amount

        tax_amount = self.tax_amount


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if treatment is not UNSET:
            field_dict["treatment"] = treatment
        if rate is not UNSET:
            field_dict["rate"] = rate
        if net_amount is not UNSET:
            field_dict["net_amount"] = net_amount
        if tax_amount is not UNSET:
            field_dict["tax_amount"] = tax_amount

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _treatment = d.pop("treatment", UNSET)
        treatment: TaxTreatment | Unset
        if isinstance(_treatment,  Unset):
            treatment = UNSET
        else:
            treatment = TaxTreatment(_treatment)




        rate = d.pop("rate", UNSET)

        net_amount = d.pop("net_amount", UNSET)

        tax_amount = d.pop("tax_amount", UNSET)

        tax_breakdown = cls(
            treatment=treatment,
            rate=rate,
            net_amount=net_amount,
            tax_amount=tax_amount,
        )

        return tax_breakdown

