"""End to end: the API docs page as an app developer meets it. Swagger UI, served by the
app, renders the OpenAPI 3.1 document: operations with their summaries and ids, and the
schemas; and the page asks nothing of any other host."""
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.e2e

SCREENSHOTS = "/tmp"


def _operation(page, method: str, path: str):
    return page.locator(f".opblock-{method}").filter(
        has=page.locator(f".opblock-summary-path[data-path='{path}']"))


def test_docs_page_renders_operations_and_schemas_offline(server, page):
    requested, outside = [], []
    page.on("request", lambda req: requested.append(req.url))

    def refuse_outside(route):
        # Refused, not just noticed: the test must not depend on this machine's network.
        if urlparse(route.request.url).hostname != "127.0.0.1":
            outside.append(route.request.url)
            return route.abort()
        return route.continue_()

    page.context.route("**/*", refuse_outside)

    page.goto("/api/v1/docs")
    # Operations, or what Swagger UI shows when it cannot: "Unable to render this
    # definition" (a 4.x Swagger UI given OpenAPI 3.1) or an errors box.
    failed = ".version-pragma__message, .errors-wrapper"
    page.locator(f".opblock, {failed}").first.wait_for()
    assert page.locator(failed).count() == 0, page.locator(failed).first.inner_text()
    assert page.locator(".information-container .title").inner_text().startswith(
        "NextGen Market API")

    create_order = _operation(page, "post", "/api/v1/orders")
    assert create_order.is_visible()
    assert create_order.locator(".opblock-summary-description").inner_text().startswith(
        "Place an order at catalogue prices")
    assert create_order.locator(".opblock-summary-operation-id").inner_text() == "createOrder"

    list_products = _operation(page, "get", "/api/v1/products")
    assert list_products.is_visible()
    assert list_products.locator(".opblock-summary-description").inner_text() == (
        "List and search active products.")
    assert list_products.locator(".opblock-summary-operation-id").inner_text() == "listProducts"

    # Operations are grouped by resource, one tag each.
    orders = page.locator(".opblock-tag-section").filter(has=page.locator("#operations-tag-orders"))
    assert orders.locator(".opblock-summary-operation-id").all_inner_texts() == [
        "listOrders", "createOrder", "getOrder", "cancelOrder"]

    # The schemas section lists the components; one opens to show its properties.
    schemas = page.locator("section.models")
    schemas.scroll_into_view_if_needed()
    assert schemas.locator("h4").inner_text().strip() == "Schemas"
    order = schemas.locator("article[data-json-schema-level='0']").filter(
        has=page.locator(".json-schema-2020-12__title", has_text="OrderCreate"))
    order.locator(".json-schema-2020-12-accordion").first.click()
    assert order.get_by_text("shipping_address", exact=True).first.is_visible()
    page.screenshot(path=f"{SCREENSHOTS}/api-docs.png", full_page=False)

    assert any(url.endswith("/api/v1/openapi.json") for url in requested), requested
    assert any(url.endswith("/swagger-ui-bundle.js") for url in requested), requested
    assert not outside, f"the docs page reached outside 127.0.0.1: {outside}"
    assert all(urlparse(url).hostname == "127.0.0.1" for url in requested), requested
