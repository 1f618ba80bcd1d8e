from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.api_error import ApiError
from ...models.saved_payment_method import SavedPaymentMethod
from ...models.saved_payment_method_create import SavedPaymentMethodCreate
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: SavedPaymentMethodCreate,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/customers/me/payment-methods",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ApiError | SavedPaymentMethod:
    if response.status_code == 201:
        response_201 = SavedPaymentMethod.from_dict(response.json())



        return response_201

    if response.status_code == 400:
        response_400 = ApiError.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = ApiError.from_dict(response.json())



        return response_401

    if response.status_code == 402:
        response_402 = ApiError.from_dict(response.json())



        return response_402

    if response.status_code == 403:
        response_403 = ApiError.from_dict(response.json())



        return response_403

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



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ApiError | SavedPaymentMethod]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SavedPaymentMethodCreate,
    idempotency_key: str | Unset = UNSET,

) -> Response[ApiError | SavedPaymentMethod]:
    """ Save the card a confirmed SetupIntent validated: read back from Stripe (never
    trusted from the app), attached to the customer, kept masked. Saving it again
    answers the saved card.

    Args:
        idempotency_key (str | Unset):
        body (SavedPaymentMethodCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiError | SavedPaymentMethod]
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
    body: SavedPaymentMethodCreate,
    idempotency_key: str | Unset = UNSET,

) -> ApiError | SavedPaymentMethod | None:
    """ Save the card a confirmed SetupIntent validated: read back from Stripe (never
    trusted from the app), attached to the customer, kept masked. Saving it again
    answers the saved card.

    Args:
        idempotency_key (str | Unset):
        body (SavedPaymentMethodCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiError | SavedPaymentMethod
     """


    return sync_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SavedPaymentMethodCreate,
    idempotency_key: str | Unset = UNSET,

) -> Response[ApiError | SavedPaymentMethod]:
    """ Save the card a confirmed SetupIntent validated: read back from Stripe (never
    trusted from the app), attached to the customer, kept masked. Saving it again
    answers the saved card.

    Args:
        idempotency_key (str | Unset):
        body (SavedPaymentMethodCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiError | SavedPaymentMethod]
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
    body: SavedPaymentMethodCreate,
    idempotency_key: str | Unset = UNSET,

) -> ApiError | SavedPaymentMethod | None:
    """ Save the card a confirmed SetupIntent validated: read back from Stripe (never
    trusted from the app), attached to the customer, kept masked. Saving it again
    answers the saved card.

    Args:
        idempotency_key (str | Unset):
        body (SavedPaymentMethodCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiError | SavedPaymentMethod
     """


    return (await asyncio_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
