from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.api_error import ApiError
from ...models.bank_transfer import BankTransfer
from ...models.bank_transfer_create import BankTransferCreate
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: BankTransferCreate,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/payments/bank-transfers",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ApiError | BankTransfer:
    if response.status_code == 201:
        response_201 = BankTransfer.from_dict(response.json())



        return response_201

    if response.status_code == 400:
        response_400 = ApiError.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = ApiError.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = ApiError.from_dict(response.json())



        return response_403

    if response.status_code == 409:
        response_409 = ApiError.from_dict(response.json())



        return response_409

    if response.status_code == 422:
        response_422 = ApiError.from_dict(response.json())



        return response_422

    if response.status_code == 429:
        response_429 = ApiError.from_dict(response.json())



        return response_429

    response_default = ApiError.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ApiError | BankTransfer]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: BankTransferCreate,
    idempotency_key: str | Unset = UNSET,

) -> Response[ApiError | BankTransfer]:
    """ Record a transfer received. When its reference names an open invoice (its
    number) or an unpaid order (its id) and its currency and amount equal the open
    balance, it is `applied`: the invoice (and order, with a `bank_transfer` payment)
    are paid in the same transaction. Anything else is `held` with the reason for
    finance: never applied blindly, never split (no partial payments). Send an
    Idempotency-Key: a retry returns the same transfer.

    Args:
        idempotency_key (str | Unset):
        body (BankTransferCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiError | BankTransfer]
     """


    kwargs = _get_kwargs(
        body=body,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body: BankTransferCreate,
    idempotency_key: str | Unset = UNSET,

) -> ApiError | BankTransfer | None:
    """ Record a transfer received. When its reference names an open invoice (its
    number) or an unpaid order (its id) and its currency and amount equal the open
    balance, it is `applied`: the invoice (and order, with a `bank_transfer` payment)
    are paid in the same transaction. Anything else is `held` with the reason for
    finance: never applied blindly, never split (no partial payments). Send an
    Idempotency-Key: a retry returns the same transfer.

    Args:
        idempotency_key (str | Unset):
        body (BankTransferCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiError | BankTransfer
     """


    return sync_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: BankTransferCreate,
    idempotency_key: str | Unset = UNSET,

) -> Response[ApiError | BankTransfer]:
    """ Record a transfer received. When its reference names an open invoice (its
    number) or an unpaid order (its id) and its currency and amount equal the open
    balance, it is `applied`: the invoice (and order, with a `bank_transfer` payment)
    are paid in the same transaction. Anything else is `held` with the reason for
    finance: never applied blindly, never split (no partial payments). Send an
    Idempotency-Key: a retry returns the same transfer.

    Args:
        idempotency_key (str | Unset):
        body (BankTransferCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiError | BankTransfer]
     """


    kwargs = _get_kwargs(
        body=body,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body: BankTransferCreate,
    idempotency_key: str | Unset = UNSET,

) -> ApiError | BankTransfer | None:
    """ Record a transfer received. When its reference names an open invoice (its
    number) or an unpaid order (its id) and its currency and amount equal the open
    balance, it is `applied`: the invoice (and order, with a `bank_transfer` payment)
    are paid in the same transaction. Anything else is `held` with the reason for
    finance: never applied blindly, never split (no partial payments). Send an
    Idempotency-Key: a retry returns the same transfer.

    Args:
        idempotency_key (str | Unset):
        body (BankTransferCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiError | BankTransfer
     """


    return (await asyncio_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
