from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.api_error import ApiError
from ...models.refund import Refund
from ...models.refund_create import RefundCreate
from ...models.refund_request import RefundRequest
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    payment_id: str,
    *,
    body: RefundCreate,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/payments/{payment_id}/refunds".format(payment_id=quote(str(payment_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ApiError | Refund | RefundRequest:
    if response.status_code == 201:
        response_201 = Refund.from_dict(response.json())



        return response_201

    if response.status_code == 202:
        response_202 = RefundRequest.from_dict(response.json())



        return response_202

    if response.status_code == 400:
        response_400 = ApiError.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = ApiError.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = ApiError.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = ApiError.from_dict(response.json())



        return response_404

    if response.status_code == 409:
        response_409 = ApiError.from_dict(response.json())



        return response_409

    if response.status_code == 422:
        response_422 = ApiError.from_dict(response.json())



        return response_422

    if response.status_code == 429:
        response_429 = ApiError.from_dict(response.json())



        return response_429

    if response.status_code == 502:
        response_502 = ApiError.from_dict(response.json())



        return response_502

    if response.status_code == 503:
        response_503 = ApiError.from_dict(response.json())



        return response_503

    response_default = ApiError.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ApiError | Refund | RefundRequest]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    payment_id: str,
    *,
    client: AuthenticatedClient,
    body: RefundCreate,
    idempotency_key: str | Unset = UNSET,

) -> Response[ApiError | Refund | RefundRequest]:
    """ Refund a succeeded payment in part or in full, never more than what remains. Each
    succeeded refund issues a credit note for exactly its amount; the last one marks the
    payment and its order refunded. When the payment's refunds (done, in flight and this
    one) would exceed REFUND_APPROVAL_THRESHOLD for its currency, the answer is 202 with
    a refund request (a `reason` is then required) that a staff member approves or
    rejects in the back office. With `lines` (returned items: lines and quantities of the
    invoice the payment paid), the refund is what those units have left to credit and its
    credit note credits those lines. With `credit_note_id`, the refund pays out a credit note
    the customer holds (issued on the invoice this payment paid, apart from any refund):
    for exactly its amount, and no second credit note is issued. Send an Idempotency-Key
    to retry safely.

    Args:
        payment_id (str):
        idempotency_key (str | Unset):
        body (RefundCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiError | Refund | RefundRequest]
     """


    kwargs = _get_kwargs(
        payment_id=payment_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    payment_id: str,
    *,
    client: AuthenticatedClient,
    body: RefundCreate,
    idempotency_key: str | Unset = UNSET,

) -> ApiError | Refund | RefundRequest | None:
    """ Refund a succeeded payment in part or in full, never more than what remains. Each
    succeeded refund issues a credit note for exactly its amount; the last one marks the
    payment and its order refunded. When the payment's refunds (done, in flight and this
    one) would exceed REFUND_APPROVAL_THRESHOLD for its currency, the answer is 202 with
    a refund request (a `reason` is then required) that a staff member approves or
    rejects in the back office. With `lines` (returned items: lines and quantities of the
    invoice the payment paid), the refund is what those units have left to credit and its
    credit note credits those lines. With `credit_note_id`, the refund pays out a credit note
    the customer holds (issued on the invoice this payment paid, apart from any refund):
    for exactly its amount, and no second credit note is issued. Send an Idempotency-Key
    to retry safely.

    Args:
        payment_id (str):
        idempotency_key (str | Unset):
        body (RefundCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiError | Refund | RefundRequest
     """


    return sync_detailed(
        payment_id=payment_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    payment_id: str,
    *,
    client: AuthenticatedClient,
    body: RefundCreate,
    idempotency_key: str | Unset = UNSET,

) -> Response[ApiError | Refund | RefundRequest]:
    """ Refund a succeeded payment in part or in full, never more than what remains. Each
    succeeded refund issues a credit note for exactly its amount; the last one marks the
    payment and its order refunded. When the payment's refunds (done, in flight and this
    one) would exceed REFUND_APPROVAL_THRESHOLD for its currency, the answer is 202 with
    a refund request (a `reason` is then required) that a staff member approves or
    rejects in the back office. With `lines` (returned items: lines and quantities of the
    invoice the payment paid), the refund is what those units have left to credit and its
    credit note credits those lines. With `credit_note_id`, the refund pays out a credit note
    the customer holds (issued on the invoice this payment paid, apart from any refund):
    for exactly its amount, and no second credit note is issued. Send an Idempotency-Key
    to retry safely.

    Args:
        payment_id (str):
        idempotency_key (str | Unset):
        body (RefundCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiError | Refund | RefundRequest]
     """


    kwargs = _get_kwargs(
        payment_id=payment_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    payment_id: str,
    *,
    client: AuthenticatedClient,
    body: RefundCreate,
    idempotency_key: str | Unset = UNSET,

) -> ApiError | Refund | RefundRequest | None:
    """ Refund a succeeded payment in part or in full, never more than what remains. Each
    succeeded refund issues a credit note for exactly its amount; the last one marks the
    payment and its order refunded. When the payment's refunds (done, in flight and this
    one) would exceed REFUND_APPROVAL_THRESHOLD for its currency, the answer is 202 with
    a refund request (a `reason` is then required) that a staff member approves or
    rejects in the back office. With `lines` (returned items: lines and quantities of the
    invoice the payment paid), the refund is what those units have left to credit and its
    credit note credits those lines. With `credit_note_id`, the refund pays out a credit note
    the customer holds (issued on the invoice this payment paid, apart from any refund):
    for exactly its amount, and no second credit note is issued. Send an Idempotency-Key
    to retry safely.

    Args:
        payment_id (str):
        idempotency_key (str | Unset):
        body (RefundCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiError | Refund | RefundRequest
     """


    return (await asyncio_detailed(
        payment_id=payment_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
