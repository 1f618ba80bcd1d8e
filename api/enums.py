"""Enumerations that appear in more than one schema, documented once as named components.

A field says which one it is with ``metadata=named_enum(ORDER_STATUS)``; its own
validation (``OneOf``) stays where it was. In the spec the property becomes a ``$ref``
(``anyOf`` with null when the field allows None), so SDK generators emit one type
(`OrderStatus`) instead of one per schema that mentions it.
"""
from __future__ import annotations

from app.catalog import rules
from app.orders import models as order_models

_KEY = "enum_component"  # not an OpenAPI keyword: apispec does not copy it into the spec

# name -> (values, description)
ENUMS: dict[str, tuple[tuple[str, ...], str]] = {
    "OrderStatus": (order_models.STATUSES,
                    "An order's state: pending_payment -> paid -> fulfilled; "
                    "pending_payment -> cancelled; paid or fulfilled -> refunded (every "
                    "minor unit paid went back)."),
    "InvoiceStatus": (("draft", "finalised", "sent", "paid", "credited", "cancelled"),
                      "An invoice's state: draft -> finalised -> sent -> paid; open invoices "
                      "become credited when fully credited, cancelled when voided."),
    "InvoiceKind": (("invoice", "credit_note"), "An invoice, or a credit note for one."),
    "InvoiceSeries": (("INV", "CN"), "Numbering series: INV for invoices, CN for credit notes."),
    "PdfStatus": (("none", "pending", "ready", "failed"),
                  "Whether the document's PDF can be downloaded yet (`ready`)."),
    "TaxCategory": (tuple(rules.TAX_CATEGORIES),
                    "The tax class of a product or line; the rate follows from it, the "
                    "buyer's country and the supply date."),
    "TaxTreatment": (("taxable", "zero_rated", "exempt", "reverse_charge"),
                     "How tax applies to a group of lines."),
    "Currency": (tuple(rules.CURRENCIES),
                 "ISO 4217 code of a currency the catalogue prices in."),
}

ORDER_STATUS, INVOICE_STATUS, INVOICE_KIND, INVOICE_SERIES = (
    "OrderStatus", "InvoiceStatus", "InvoiceKind", "InvoiceSeries")
PDF_STATUS, TAX_CATEGORY, TAX_TREATMENT, CURRENCY = (
    "PdfStatus", "TaxCategory", "TaxTreatment", "Currency")


def values(name: str) -> tuple[str, ...]:
    return ENUMS[name][0]


def named_enum(name: str, description: str | None = None, **metadata) -> dict:
    """Field metadata naming the shared enum ``name`` (and the field's own description)."""
    if name not in ENUMS:
        raise KeyError(f"unknown shared enum {name!r}")
    return {_KEY: name, "description": description or ENUMS[name][1], **metadata}


def register(spec) -> None:
    """Declare every shared enum as a schema component, and have properties refer to it."""
    for name, (choices, description) in ENUMS.items():
        spec.components.schema(name, {"type": "string", "enum": list(choices),
                                      "description": description})


def enum2ref(converter, field, ret, **kwargs) -> dict:
    """An apispec attribute function, run after the built-in ones: the inline type and
    enum of a field marked with :func:`named_enum` become a reference to the component."""
    name = field.metadata.get(_KEY)
    if name is None:
        return {}
    for key in ("type", "enum", "format", "minLength", "maxLength", "pattern"):
        ret.pop(key, None)
    ref = {"$ref": f"#/components/schemas/{name}"}
    return {"anyOf": [ref, {"type": "null"}]} if field.allow_none else ref
