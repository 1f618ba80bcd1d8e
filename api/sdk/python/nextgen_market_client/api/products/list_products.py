from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.api_error import ApiError
from ...models.currency import Currency
from ...models.list_products_sort import ListProductsSort
from ...models.product_list import ProductList
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    q: str | Unset = UNSET,
    category: str | Unset = UNSET,
    min_price: int | Unset = UNSET,
    max_price: int | Unset = UNSET,
    in_stock: bool | Unset = UNSET,
    currency: Currency | Unset = UNSET,
    sort: ListProductsSort | Unset = UNSET,
    page: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 20,
    include_total: bool | Unset = False,
    if_none_match: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match



    

    params: dict[str, Any] = {}

    params["q"] = q

    params["category"] = category

    params["min_price"] = min_price

    params["max_price"] = max_price

    params["in_stock"] = in_stock

    json_currency: str | Unset = UNSET
    if not isinstance(currency, Unset):
        json_currency = currency.value

    params["currency"] = json_currency

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    params["page"] = page

    params["cursor"] = cursor

    params["page_size"] = page_size

    params["include_total"] = include_total


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/products",
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | ApiError | ProductList:
    if response.status_code == 200:
        response_200 = ProductList.from_dict(response.json())



        return response_200

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

    if response.status_code == 400:
        response_400 = ApiError.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = ApiError.from_dict(response.json())



        return response_401

    if response.status_code == 422:
        response_422 = ApiError.from_dict(response.json())



        return response_422

    if response.status_code == 429:
        response_429 = ApiError.from_dict(response.json())



        return response_429

    response_default = ApiError.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | ApiError | ProductList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    q: str | Unset = UNSET,
    category: str | Unset = UNSET,
    min_price: int | Unset = UNSET,
    max_price: int | Unset = UNSET,
    in_stock: bool | Unset = UNSET,
    currency: Currency | Unset = UNSET,
    sort: ListProductsSort | Unset = UNSET,
    page: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 20,
    include_total: bool | Unset = False,
    if_none_match: str | Unset = UNSET,

) -> Response[Any | ApiError | ProductList]:
    """ List and search active products.

     Full-text search with `q` (ranked), filters and sorting. Pages by number
    (`page`) or, as fast at any depth, by `cursor`: the `next_cursor` of the page
    before. `total` counts every match only with `include_total=true`. Responses are
    cached and never stale.

    Args:
        q (str | Unset):
        category (str | Unset):
        min_price (int | Unset):
        max_price (int | Unset):
        in_stock (bool | Unset):
        currency (Currency | Unset): ISO 4217 code of a currency the catalogue prices in.
        sort (ListProductsSort | Unset):
        page (int | Unset):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 20.
        include_total (bool | Unset):  Default: False.
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ApiError | ProductList]
     """


    kwargs = _get_kwargs(
        q=q,
category=category,
min_price=min_price,
max_price=max_price,
in_stock=in_stock,
currency=currency,
sort=sort,
page=page,
cursor=cursor,
page_size=page_size,
include_total=include_total,
if_none_match=if_none_match,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    q: str | Unset = UNSET,
    category: str | Unset = UNSET,
    min_price: int | Unset = UNSET,
    max_price: int | Unset = UNSET,
    in_stock: bool | Unset = UNSET,
    currency: Currency | Unset = UNSET,
    sort: ListProductsSort | Unset = UNSET,
    page: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 20,
    include_total: bool | Unset = False,
    if_none_match: str | Unset = UNSET,

) -> Any | ApiError | ProductList | None:
    """ List and search active products.

     Full-text search with `q` (ranked), filters and sorting. Pages by number
    (`page`) or, as fast at any depth, by `cursor`: the `next_cursor` of the page
    before. `total` counts every match only with `include_total=true`. Responses are
    cached and never stale.

    Args:
        q (str | Unset):
        category (str | Unset):
        min_price (int | Unset):
        max_price (int | Unset):
        in_stock (bool | Unset):
        currency (Currency | Unset): ISO 4217 code of a currency the catalogue prices in.
        sort (ListProductsSort | Unset):
        page (int | Unset):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 20.
        include_total (bool | Unset):  Default: False.
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ApiError | ProductList
     """


    return sync_detailed(
        client=client,
q=q,
category=category,
min_price=min_price,
max_price=max_price,
in_stock=in_stock,
currency=currency,
sort=sort,
page=page,
cursor=cursor,
page_size=page_size,
include_total=include_total,
if_none_match=if_none_match,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    q: str | Unset = UNSET,
    category: str | Unset = UNSET,
    min_price: int | Unset = UNSET,
    max_price: int | Unset = UNSET,
    in_stock: bool | Unset = UNSET,
    currency: Currency | Unset = UNSET,
    sort: ListProductsSort | Unset = UNSET,
    page: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 20,
    include_total: bool | Unset = False,
    if_none_match: str | Unset = UNSET,

) -> Response[Any | ApiError | ProductList]:
    """ List and search active products.

     Full-text search with `q` (ranked), filters and sorting. Pages by number
    (`page`) or, as fast at any depth, by `cursor`: the `next_cursor` of the page
    before. `total` counts every match only with `include_total=true`. Responses are
    cached and never stale.

    Args:
        q (str | Unset):
        category (str | Unset):
        min_price (int | Unset):
        max_price (int | Unset):
        in_stock (bool | Unset):
        currency (Currency | Unset): ISO 4217 code of a currency the catalogue prices in.
        sort (ListProductsSort | Unset):
        page (int | Unset):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 20.
        include_total (bool | Unset):  Default: False.
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ApiError | ProductList]
     """


    kwargs = _get_kwargs(
        q=q,
category=category,
min_price=min_price,
max_price=max_price,
in_stock=in_stock,
currency=currency,
sort=sort,
page=page,
cursor=cursor,
page_size=page_size,
include_total=include_total,
if_none_match=if_none_match,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    q: str | Unset = UNSET,
    category: str | Unset = UNSET,
    min_price: int | Unset = UNSET,
    max_price: int | Unset = UNSET,
    in_stock: bool | Unset = UNSET,
    currency: Currency | Unset = UNSET,
    sort: ListProductsSort | Unset = UNSET,
    page: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 20,
    include_total: bool | Unset = False,
    if_none_match: str | Unset = UNSET,

) -> Any | ApiError | ProductList | None:
    """ List and search active products.

     Full-text search with `q` (ranked), filters and sorting. Pages by number
    (`page`) or, as fast at any depth, by `cursor`: the `next_cursor` of the page
    before. `total` counts every match only with `include_total=true`. Responses are
    cached and never stale.

    Args:
        q (str | Unset):
        category (str | Unset):
        min_price (int | Unset):
        max_price (int | Unset):
        in_stock (bool | Unset):
        currency (Currency | Unset): ISO 4217 code of a currency the catalogue prices in.
        sort (ListProductsSort | Unset):
        page (int | Unset):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 20.
        include_total (bool | Unset):  Default: False.
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ApiError | ProductList
     """


    return (await asyncio_detailed(
        client=client,
q=q,
category=category,
min_price=min_price,
max_price=max_price,
in_stock=in_stock,
currency=currency,
sort=sort,
page=page,
cursor=cursor,
page_size=page_size,
include_total=include_total,
if_none_match=if_none_match,

    )).parsed
