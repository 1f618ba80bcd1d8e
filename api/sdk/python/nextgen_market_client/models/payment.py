from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.payment_method import PaymentMethod
from ..models.payment_status import PaymentStatus
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.payment_next_action_type_0 import PaymentNextActionType0
  from ..models.refund import Refund





T = TypeVar("T", bound="Payment")



@_attrs_define
class Payment:
    """ 
        Attributes:
            id (UUID | Unset): Payment id (the same for every retry with one Idempotency-Key)
            object_ (str | Unset): Always `payment`
            order_id (None | Unset | UUID): The order paid; null when it pays an invoice that has no order
            invoice_id (None | Unset | UUID): The invoice paid: an order's (equal to the order) once succeeded, or from the
                start the invoice without an order it pays
            customer_id (UUID | Unset): Whose order it is
            method (PaymentMethod | Unset): How it is paid
            gateway (str | Unset): Which gateway holds it (`stripe`, `paypal`; `bank` for a bank transfer)
            status (PaymentStatus | Unset): pending -> requires_action -> succeeded | failed | cancelled; succeeded ->
                refunded once every minor unit went back
            amount (int | Unset): Minor units of `currency`
            currency (str | Unset): ISO 4217 code
            amount_refunded (int | Unset): Refunded so far, minor units
            amount_refundable (int | Unset): Still refundable, minor units (refunds in flight excluded)
            gateway_payment_id (None | str | Unset): The gateway's id (Stripe PaymentIntent pi_..., PayPal order id)
            payment_method_id (None | Unset | UUID): The saved card charged, if one was
            client_secret (None | str | Unset): In the creation answer only: what Stripe.js confirms the payment with
                (handle 3-D Secure); null elsewhere
            next_action (None | PaymentNextActionType0 | Unset): When `requires_action`: what the app must do (Stripe's
                next_action; PayPal: `{type: paypal_approval, approval_url}`)
            approval_url (None | str | Unset): PayPal, while `requires_action`: where to send the buyer to approve; then
                call `POST /payments/{id}/capture`. Null otherwise Example:
                https://www.paypal.com/checkoutnow?token=5O190127TN364715T.
            failure_code (None | str | Unset): Why it failed (decline code, or gateway_unavailable while pending)
            failure_message (None | str | Unset): Why it failed, in words
            refunds (list[Refund] | Unset): Its refunds, oldest first
            created_at (datetime.datetime | Unset): UTC
            updated_at (datetime.datetime | Unset): UTC
            succeeded_at (datetime.datetime | None | Unset): UTC
     """

    id: UUID | Unset = UNSET
    object_: str | Unset = UNSET
    order_id: None | Unset | UUID = UNSET
    invoice_id: None | Unset | UUID = UNSET
    customer_id: UUID | Unset = UNSET
    method: PaymentMethod | Unset = UNSET
    gateway: str | Unset = UNSET
    status: PaymentStatus | Unset = UNSET
    amount: int | Unset = UNSET
    currency: str | Unset = UNSET
    amount_refunded: int | Unset = UNSET
    amount_refundable: int | Unset = UNSET
    gateway_payment_id: None | str | Unset = UNSET
    payment_method_id: None | Unset | UUID = UNSET
    client_secret: None | str | Unset = UNSET
    next_action: None | PaymentNextActionType0 | Unset = UNSET
    approval_url: None | str | Unset = UNSET
    failure_code: None | str | Unset = UNSET
    failure_message: None | str | Unset = UNSET
    refunds: list[Refund] | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    updated_at: datetime.datetime | Unset = UNSET
    succeeded_at: datetime.datetime | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.payment_next_action_type_0 import PaymentNextActionType0 # noqa: PLC0415
        from ..models.refund import Refund # noqa: PLC0415
        id: str | Unset = UNSET
        if not isinstance(self.id, Unset):
            id = str(self.id)

        object_ = self.object_

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

        customer_id: str | Unset = UNSET
        if not isinstance(self.customer_id, Unset):
            customer_id = str(self.customer_id)

        method: str | Unset = UNSET
        if not isinstance(self.method, Unset):
            method = self.method.value


        gateway = self.gateway

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value


        amount = self.amount

        currency = self.currency

        amount_refunded = self.amount_refunded

        amount_refundable = self.amount_refundable

        gateway_payment_id: None | str | Unset
        if isinstance(self.gateway_payment_id, Unset):
            gateway_payment_id = UNSET
        else:
            gateway_payment_id = self.gateway_payment_id

        payment_method_id: None | str | Unset
        if isinstance(self.payment_method_id, Unset):
            payment_method_id = UNSET
        elif isinstance(self.payment_method_id, UUID):
            payment_method_id = str(self.payment_method_id)
        else:
            payment_method_id = self.payment_method_id

        client_secret: None | str | Unset
        if isinstance(self.client_secret, Unset):
            client_secret = UNSET
        else:
            client_secret = self.client_secret

        next_action: dict[str, Any] | None | Unset
        if isinstance(self.next_action, Unset):
            next_action = UNSET
        elif isinstance(self.next_action, PaymentNextActionType0):
            next_action = self.next_action.to_dict()
        else:
            next_action = self.next_action

        approval_url: None | str | Unset
        if isinstance(self.approval_url, Unset):
            approval_url = UNSET
        else:
            approval_url = self.approval_url

        failure_code: None | str | Unset
        if isinstance(self.failure_code, Unset):
            failure_code = UNSET
        else:
            failure_code = self.failure_code

        failure_message: None | str | Unset
        if isinstance(self.failure_message, Unset):
            failure_message = UNSET
        else:
            failure_message = self.failure_message

        refunds: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.refunds, Unset):
            refunds = []
            for refunds_item_data in self.refunds:
                refunds_item = refunds_item_data.to_dict()
                refunds.append(refunds_item)



        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        updated_at: str | Unset = UNSET
        if not isinstance(self.updated_at, Unset):
            updated_at = self.updated_at.isoformat()

        succeeded_at: None | str | Unset
        if isinstance(self.succeeded_at, Unset):
            succeeded_at = UNSET
        elif isinstance(self.succeeded_at, datetime.datetime):
            succeeded_at = self.succeeded_at.isoformat()
        else:
            succeeded_at = self.succeeded_at


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if id is not UNSET:
            field_dict["id"] = id
        if object_ is not UNSET:
            field_dict["object"] = object_
        if order_id is not UNSET:
            field_dict["order_id"] = order_id
        if invoice_id is not UNSET:
            field_dict["invoice_id"] = invoice_id
        if customer_id is not UNSET:
            field_dict["customer_id"] = customer_id
        if method is not UNSET:
            field_dict["method"] = method
        if gateway is not UNSET:
            field_dict["gateway"] = gateway
        if status is not UNSET:
            field_dict["status"] = status
        if amount is not UNSET:
            field_dict["amount"] = amount
        if currency is not UNSET:
            field_dict["currency"] = currency
        if amount_refunded is not UNSET:
            field_dict["amount_refunded"] = amount_refunded
        if amount_refundable is not UNSET:
            field_dict["amount_refundable"] = amount_refundable
        if gateway_payment_id is not UNSET:
            field_dict["gateway_payment_id"] = gateway_payment_id
        if payment_method_id is not UNSET:
            field_dict["payment_method_id"] = payment_method_id
        if client_secret is not UNSET:
            field_dict["client_secret"] = client_secret
        if next_action is not UNSET:
            field_dict["next_action"] = next_action
        if approval_url is not UNSET:
            field_dict["approval_url"] = approval_url
        if failure_code is not UNSET:
            field_dict["failure_code"] = failure_code
        if failure_message is not UNSET:
            field_dict["failure_message"] = failure_message
        if refunds is not UNSET:
            field_dict["refunds"] = refunds
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if succeeded_at is not UNSET:
            field_dict["succeeded_at"] = succeeded_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.payment_next_action_type_0 import PaymentNextActionType0 # noqa: PLC0415
        from ..models.refund import Refund # noqa: PLC0415
        d = dict(src_dict)
        _id = d.pop("id", UNSET)
        id: UUID | Unset
        if isinstance(_id,  Unset):
            id = UNSET
        else:
            id = UUID(_id)




        object_ = d.pop("object", UNSET)

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


        _customer_id = d.pop("customer_id", UNSET)
        customer_id: UUID | Unset
        if isinstance(_customer_id,  Unset):
            customer_id = UNSET
        else:
            customer_id = UUID(_customer_id)




        _method = d.pop("method", UNSET)
        method: PaymentMethod | Unset
        if isinstance(_method,  Unset):
            method = UNSET
        else:
            method = PaymentMethod(_method)




        gateway = d.pop("gateway", UNSET)

        _status = d.pop("status", UNSET)
        status: PaymentStatus | Unset
        if isinstance(_status,  Unset):
            status = UNSET
        else:
            status = PaymentStatus(_status)




        amount = d.pop("amount", UNSET)

        currency = d.pop("currency", UNSET)

        amount_refunded = d.pop("amount_refunded", UNSET)

        amount_refundable = d.pop("amount_refundable", UNSET)

        def _parse_gateway_payment_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        gateway_payment_id = _parse_gateway_payment_id(d.pop("gateway_payment_id", UNSET))


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


        def _parse_client_secret(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        client_secret = _parse_client_secret(d.pop("client_secret", UNSET))


        def _parse_next_action(data: object) -> None | PaymentNextActionType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                next_action_type_0 = PaymentNextActionType0.from_dict(data)



                return next_action_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PaymentNextActionType0 | Unset, data)

        next_action = _parse_next_action(d.pop("next_action", UNSET))


        def _parse_approval_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        approval_url = _parse_approval_url(d.pop("approval_url", UNSET))


        def _parse_failure_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        failure_code = _parse_failure_code(d.pop("failure_code", UNSET))


        def _parse_failure_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        failure_message = _parse_failure_message(d.pop("failure_message", UNSET))


        _refunds = d.pop("refunds", UNSET)
        refunds: list[Refund] | Unset = UNSET
        if _refunds is not UNSET:
            refunds = []
            for refunds_item_data in _refunds:
                refunds_item = Refund.from_dict(refunds_item_data)



                refunds.append(refunds_item)


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




        def _parse_succeeded_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                succeeded_at_type_0 = datetime.datetime.fromisoformat(data)



                return succeeded_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        succeeded_at = _parse_succeeded_at(d.pop("succeeded_at", UNSET))


        payment = cls(
            id=id,
            object_=object_,
            order_id=order_id,
            invoice_id=invoice_id,
            customer_id=customer_id,
            method=method,
            gateway=gateway,
            status=status,
            amount=amount,
            currency=currency,
            amount_refunded=amount_refunded,
            amount_refundable=amount_refundable,
            gateway_payment_id=gateway_payment_id,
            payment_method_id=payment_method_id,
            client_secret=client_secret,
            next_action=next_action,
            approval_url=approval_url,
            failure_code=failure_code,
            failure_message=failure_message,
            refunds=refunds,
            created_at=created_at,
            updated_at=updated_at,
            succeeded_at=succeeded_at,
        )

        return payment

