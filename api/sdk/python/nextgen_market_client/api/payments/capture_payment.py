from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.api_error import ApiError
from ...models.payment import Payment
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    payment_id: str,
    *,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/payments/{payment_id}/capture".format(payment_id=quote(str(payment_id), safe=""),),
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ApiError | Payment:
    if response.status_code == 200:
        response_200 = Payment.from_dict(response.json())



        return response_200

    if response.status_code == 401:
        response_401 = ApiError.from_dict(response.json())



        return response_401

    if response.status_code == 402:
        response_402 = ApiError.from_dict(response.json())



        return response_402

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



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ApiError | Payment]:
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
    idempotency_key: str | Unset = UNSET,

) -> Response[ApiError | Payment]:
    """ Capture a PayPal payment after the buyer approved it at its `approval_url`: the
    money is collected, and the order and its invoice are paid in the same step (409
    while the buyer has not approved: an Idempotency-Key stores that answer too, so
    capture after approval with a new key). Capturing again answers the captured payment
    and never captures twice; PayPal's `PAYMENT.CAPTURE.COMPLETED` webhook reports the
    same and changes nothing.

    Args:
        payment_id (str):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiError | Payment]
     """


    kwargs = _get_kwargs(
        payment_id=payment_id,
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
    idempotency_key: str | Unset = UNSET,

) -> ApiError | Payment | None:
    """ Capture a PayPal payment after the buyer approved it at its `approval_url`: the
    money is collected, and the order and its invoice are paid in the same step (409
    while the buyer has not approved: an Idempotency-Key stores that answer too, so
    capture after approval with a new key). Capturing again answers the captured payment
    and never captures twice; PayPal's `PAYMENT.CAPTURE.COMPLETED` webhook reports the
    same and changes nothing.

    Args:
        payment_id (str):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiError | Payment
     """


    return sync_detailed(
        payment_id=payment_id,
client=client,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    payment_id: str,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,

) -> Response[ApiError | Payment]:
    """ Capture a PayPal payment after the buyer approved it at its `approval_url`: the
    money is collected, and the order and its invoice are paid in the same step (409
    while the buyer has not approved: an Idempotency-Key stores that answer too, so
    capture after approval with a new key). Capturing again answers the captured payment
    and never captures twice; PayPal's `PAYMENT.CAPTURE.COMPLETED` webhook reports the
    same and changes nothing.

    Args:
        payment_id (str):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiError | Payment]
     """


    kwargs = _get_kwargs(
        payment_id=payment_id,
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
    idempotency_key: str | Unset = UNSET,

) -> ApiError | Payment | None:
    """ Capture a PayPal payment after the buyer approved it at its `approval_url`: the
    money is collected, and the order and its invoice are paid in the same step (409
    while the buyer has not approved: an Idempotency-Key stores that answer too, so
    capture after approval with a new key). Capturing again answers the captured payment
    and never captures twice; PayPal's `PAYMENT.CAPTURE.COMPLETED` webhook reports the
    same and changes nothing.

    Args:
        payment_id (str):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiError | Payment
     """


    return (await asyncio_detailed(
        payment_id=payment_id,
client=client,
idempotency_key=idempotency_key,

    )).parsed
