from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.api_error import ApiError
from ...models.receive_paypal_webhook_body import ReceivePaypalWebhookBody
from ...models.webhook_ack import WebhookAck
from typing import cast



def _get_kwargs(
    *,
    body: ReceivePaypalWebhookBody,
    paypal_transmission_id: str,
    paypal_transmission_time: str,
    paypal_transmission_sig: str,
    paypal_cert_url: str,
    paypal_auth_algo: str,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["PAYPAL-TRANSMISSION-ID"] = paypal_transmission_id

    headers["PAYPAL-TRANSMISSION-TIME"] = paypal_transmission_time

    headers["PAYPAL-TRANSMISSION-SIG"] = paypal_transmission_sig

    headers["PAYPAL-CERT-URL"] = paypal_cert_url

    headers["PAYPAL-AUTH-ALGO"] = paypal_auth_algo



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/webhooks/paypal",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ApiError | WebhookAck:
    if response.status_code == 200:
        response_200 = WebhookAck.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = ApiError.from_dict(response.json())



        return response_400

    if response.status_code == 422:
        response_422 = ApiError.from_dict(response.json())



        return response_422

    if response.status_code == 429:
        response_429 = ApiError.from_dict(response.json())



        return response_429

    if response.status_code == 503:
        response_503 = ApiError.from_dict(response.json())



        return response_503

    response_default = ApiError.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ApiError | WebhookAck]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ReceivePaypalWebhookBody,
    paypal_transmission_id: str,
    paypal_transmission_time: str,
    paypal_transmission_sig: str,
    paypal_cert_url: str,
    paypal_auth_algo: str,

) -> Response[ApiError | WebhookAck]:
    """ PayPal's events (PAYMENT.CAPTURE.*, PAYMENT.CAPTURE.REFUNDED): each verified by
    PayPal, stored once by its id and applied by a job; events arriving late, twice or
    out of order only move state forward. Unknown types (CHECKOUT.ORDER.APPROVED too:
    the app captures) are acknowledged and ignored.

    Args:
        paypal_transmission_id (str):
        paypal_transmission_time (str):
        paypal_transmission_sig (str):
        paypal_cert_url (str):
        paypal_auth_algo (str):
        body (ReceivePaypalWebhookBody): A PayPal webhook event, as PayPal sends it (verified by
            PayPal's verify-webhook-signature API with the transmission headers)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiError | WebhookAck]
     """


    kwargs = _get_kwargs(
        body=body,
paypal_transmission_id=paypal_transmission_id,
paypal_transmission_time=paypal_transmission_time,
paypal_transmission_sig=paypal_transmission_sig,
paypal_cert_url=paypal_cert_url,
paypal_auth_algo=paypal_auth_algo,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    body: ReceivePaypalWebhookBody,
    paypal_transmission_id: str,
    paypal_transmission_time: str,
    paypal_transmission_sig: str,
    paypal_cert_url: str,
    paypal_auth_algo: str,

) -> ApiError | WebhookAck | None:
    """ PayPal's events (PAYMENT.CAPTURE.*, PAYMENT.CAPTURE.REFUNDED): each verified by
    PayPal, stored once by its id and applied by a job; events arriving late, twice or
    out of order only move state forward. Unknown types (CHECKOUT.ORDER.APPROVED too:
    the app captures) are acknowledged and ignored.

    Args:
        paypal_transmission_id (str):
        paypal_transmission_time (str):
        paypal_transmission_sig (str):
        paypal_cert_url (str):
        paypal_auth_algo (str):
        body (ReceivePaypalWebhookBody): A PayPal webhook event, as PayPal sends it (verified by
            PayPal's verify-webhook-signature API with the transmission headers)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiError | WebhookAck
     """


    return sync_detailed(
        client=client,
body=body,
paypal_transmission_id=paypal_transmission_id,
paypal_transmission_time=paypal_transmission_time,
paypal_transmission_sig=paypal_transmission_sig,
paypal_cert_url=paypal_cert_url,
paypal_auth_algo=paypal_auth_algo,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ReceivePaypalWebhookBody,
    paypal_transmission_id: str,
    paypal_transmission_time: str,
    paypal_transmission_sig: str,
    paypal_cert_url: str,
    paypal_auth_algo: str,

) -> Response[ApiError | WebhookAck]:
    """ PayPal's events (PAYMENT.CAPTURE.*, PAYMENT.CAPTURE.REFUNDED): each verified by
    PayPal, stored once by its id and applied by a job; events arriving late, twice or
    out of order only move state forward. Unknown types (CHECKOUT.ORDER.APPROVED too:
    the app captures) are acknowledged and ignored.

    Args:
        paypal_transmission_id (str):
        paypal_transmission_time (str):
        paypal_transmission_sig (str):
        paypal_cert_url (str):
        paypal_auth_algo (str):
        body (ReceivePaypalWebhookBody): A PayPal webhook event, as PayPal sends it (verified by
            PayPal's verify-webhook-signature API with the transmission headers)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiError | WebhookAck]
     """


    kwargs = _get_kwargs(
        body=body,
paypal_transmission_id=paypal_transmission_id,
paypal_transmission_time=paypal_transmission_time,
paypal_transmission_sig=paypal_transmission_sig,
paypal_cert_url=paypal_cert_url,
paypal_auth_algo=paypal_auth_algo,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ReceivePaypalWebhookBody,
    paypal_transmission_id: str,
    paypal_transmission_time: str,
    paypal_transmission_sig: str,
    paypal_cert_url: str,
    paypal_auth_algo: str,

) -> ApiError | WebhookAck | None:
    """ PayPal's events (PAYMENT.CAPTURE.*, PAYMENT.CAPTURE.REFUNDED): each verified by
    PayPal, stored once by its id and applied by a job; events arriving late, twice or
    out of order only move state forward. Unknown types (CHECKOUT.ORDER.APPROVED too:
    the app captures) are acknowledged and ignored.

    Args:
        paypal_transmission_id (str):
        paypal_transmission_time (str):
        paypal_transmission_sig (str):
        paypal_cert_url (str):
        paypal_auth_algo (str):
        body (ReceivePaypalWebhookBody): A PayPal webhook event, as PayPal sends it (verified by
            PayPal's verify-webhook-signature API with the transmission headers)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiError | WebhookAck
     """


    return (await asyncio_detailed(
        client=client,
body=body,
paypal_transmission_id=paypal_transmission_id,
paypal_transmission_time=paypal_transmission_time,
paypal_transmission_sig=paypal_transmission_sig,
paypal_cert_url=paypal_cert_url,
paypal_auth_algo=paypal_auth_algo,

    )).parsed
