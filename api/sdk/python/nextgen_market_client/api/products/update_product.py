from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.api_error import ApiError
from ...models.product import Product
from ...models.product_patch import ProductPatch
from typing import cast
from uuid import UUID



def _get_kwargs(
    product_id: UUID,
    *,
    body: ProductPatch,
    if_match: str,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["If-Match"] = if_match



    

    

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/products/{product_id}".format(product_id=quote(str(product_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ApiError | Product:
    if response.status_code == 200:
        response_200 = Product.from_dict(response.json())



        return response_200

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

    if response.status_code == 412:
        response_412 = ApiError.from_dict(response.json())



        return response_412

    if response.status_code == 422:
        response_422 = ApiError.from_dict(response.json())



        return response_422

    if response.status_code == 428:
        response_428 = ApiError.from_dict(response.json())



        return response_428

    if response.status_code == 429:
        response_429 = ApiError.from_dict(response.json())



        return response_429

    response_default = ApiError.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ApiError | Product]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    product_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ProductPatch,
    if_match: str,

) -> Response[ApiError | Product]:
    """ Change some fields of a product. Send the ETag from GET in If-Match.

    Args:
        product_id (UUID):
        if_match (str):
        body (ProductPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiError | Product]
     """


    kwargs = _get_kwargs(
        product_id=product_id,
body=body,
if_match=if_match,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    product_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ProductPatch,
    if_match: str,

) -> ApiError | Product | None:
    """ Change some fields of a product. Send the ETag from GET in If-Match.

    Args:
        product_id (UUID):
        if_match (str):
        body (ProductPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiError | Product
     """


    return sync_detailed(
        product_id=product_id,
client=client,
body=body,
if_match=if_match,

    ).parsed

async def asyncio_detailed(
    product_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ProductPatch,
    if_match: str,

) -> Response[ApiError | Product]:
    """ Change some fields of a product. Send the ETag from GET in If-Match.

    Args:
        product_id (UUID):
        if_match (str):
        body (ProductPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiError | Product]
     """


    kwargs = _get_kwargs(
        product_id=product_id,
body=body,
if_match=if_match,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    product_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ProductPatch,
    if_match: str,

) -> ApiError | Product | None:
    """ Change some fields of a product. Send the ETag from GET in If-Match.

    Args:
        product_id (UUID):
        if_match (str):
        body (ProductPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiError | Product
     """


    return (await asyncio_detailed(
        product_id=product_id,
client=client,
body=body,
if_match=if_match,

    )).parsed
