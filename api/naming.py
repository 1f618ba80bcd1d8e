"""Operation ids and tags, by one convention, so routes rarely name them by hand.

An operationId is the method name an SDK generator gives an operation (`client.createOrder`),
so it must be readable and must not change when a Python function is renamed without
anyone noticing: the committed openapi.json (and its contract test) shows every change.

- A MethodView names a resource: on a collection URL, GET lists it (`Orders` ->
  `listOrders`) and POST creates one (`createOrder`); on an item URL (one ending in an id)
  GET, PUT, PATCH and DELETE are `get`, `replace`, `update`, `delete` + the class name
  without its `Item` suffix (`OrderItem` -> `getOrder`).
- A view function is an action: its name, camel-cased, with the resource named by the
  URL's first id placed after the verb (`mark_paid` on /invoices/<invoice_id>/mark-paid ->
  `markInvoicePaid`); with no id in the URL, just the name (`login`).
- Where that reads badly, OVERRIDES names the operation; `@blp.doc(operationId=...)` on a
  route wins over both.

Tags: one per resource, the first path segment under /api/v1 (/api/v1/categories/... ->
`categories`), so a resource sharing a blueprint with another still gets its own group.
"""
from __future__ import annotations

import re

API_PREFIX = "/api/v1/"

# "METHOD blueprint.endpoint" -> operationId, where the convention reads badly.
OVERRIDES = {
    "POST auth.refresh": "refreshToken",
    "POST auth.password_reset": "requestPasswordReset",
    "POST auth.password_reset_confirm": "confirmPasswordReset",
    "GET users.Me": "getProfile",
    "PATCH users.Me": "updateProfile",
    "DELETE users.Me": "deactivateAccount",
    "GET users.MyPhone": "getPhone",
    "PUT users.MyPhone": "setPhone",
    "PATCH users.MyPhone": "setSmsOptIn",
    "POST products.bulk_upsert": "bulkUpsertProducts",
    "GET invoices.invoice_pdf": "getInvoicePdf",
    "POST invoices.credit_note": "issueCreditNote",
}

_ITEM_VERBS = {"get": "get", "put": "replace", "patch": "update", "delete": "delete"}
_VARIABLE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def _words(name: str) -> list[str]:
    """snake_case or CamelCase -> lower-case words."""
    return [w.lower() for w in re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", name)]


def _camel(words: list[str]) -> str:
    return words[0] + "".join(w.capitalize() for w in words[1:])


def _singular(noun: str) -> str:
    # Enough English for resource names: Categories -> Category, Orders -> Order.
    if noun.endswith("ies"):
        return noun[:-3] + "y"
    return noun[:-1] if noun.endswith("s") else noun


def conventional_operation_id(rule: str, view, method: str) -> str:
    """The convention above, for ``method`` (lower case) of ``view`` at ``rule``."""
    method = method.lower()
    if isinstance(view, type):  # a MethodView class
        noun = view.__name__.removesuffix("Item")
        if rule.rstrip("/").endswith(">"):
            return _ITEM_VERBS[method] + noun
        return "list" + noun if method == "get" else "create" + _singular(noun)
    words = _words(view.__name__)
    ids = url_variables(rule)
    if ids:
        resource = _words(ids[0].removesuffix("_id"))
        words = words[:1] + [w for w in resource if w not in words] + words[1:]
    return _camel(words)


def operation_id(blueprint: str, endpoint: str, rule: str, view, method: str) -> str:
    override = OVERRIDES.get(f"{method.upper()} {blueprint}.{endpoint}")
    return override or conventional_operation_id(rule, view, method)


def resource_tag(path: str) -> str | None:
    """The tag for an operation at ``path`` (url prefix + rule); None outside /api/v1."""
    if not path.startswith(API_PREFIX):
        return None
    return path[len(API_PREFIX):].split("/", 1)[0] or None


def url_variables(rule: str) -> list[str]:
    """The variable names of a URL rule: ``/<uuid:order_id>/lines/<line_id>`` ->
    ``["order_id", "line_id"]``."""
    return _VARIABLE.findall(rule)


def path_parameter_description(name: str) -> str:
    """``invoice_id`` -> "The invoice's id (UUID)"."""
    words = " ".join(_words(name.removesuffix("_id")))
    return f"The {words}'s id (UUID)" if name.endswith("_id") else f"The {words}"
