"""Operation ids and tags (api/naming.py): what SDK generators and the docs page group
and name operations by. Ids are unique, readable and stable; one tag per operation."""
from __future__ import annotations

import re

import pytest
from flask.views import MethodView

from api.naming import OVERRIDES, conventional_operation_id, resource_tag

METHODS = {"get", "put", "post", "delete", "patch"}
OPERATION_ID = re.compile(r"^[a-z][A-Za-z]+$")


@pytest.fixture(scope="module")
def sqlite_app(app_for):
    return app_for("sqlite")


@pytest.fixture(scope="module")
def spec(sqlite_app) -> dict:
    with sqlite_app.app_context():
        return sqlite_app.extensions["nextgen_api"].spec.to_dict()


def _operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def test_every_operation_has_a_unique_readable_operation_id(spec):
    seen: dict[str, str] = {}
    problems = []
    for label, operation in _operations(spec):
        op_id = operation.get("operationId")
        if not op_id or not OPERATION_ID.match(op_id):
            problems.append(f"{label}: operationId {op_id!r} is not ^[a-z][A-Za-z]+$")
        elif op_id in seen:
            problems.append(f"{label}: operationId {op_id} already names {seen[op_id]}")
        else:
            seen[op_id] = label
    assert not problems, "\n".join(problems)
    assert len(seen) >= 30


def test_every_operation_has_exactly_one_declared_tag(spec):
    declared = {tag["name"]: tag.get("description") for tag in spec["tags"]}
    problems = []
    for label, operation in _operations(spec):
        tags = operation.get("tags") or []
        if len(tags) != 1:
            problems.append(f"{label}: tags {tags} (one expected)")
        elif not declared.get(tags[0]):
            problems.append(f"{label}: tag {tags[0]} is not declared with a description")
    assert not problems, "\n".join(problems)
    used = {op["tags"][0] for _, op in _operations(spec)}
    assert used == set(declared), "a declared tag has no operation"


# The names partners' SDKs call; changing one breaks their code.
PINNED = {
    "GET /api/v1/orders": "listOrders",
    "POST /api/v1/orders": "createOrder",
    "GET /api/v1/orders/{order_id}": "getOrder",
    "POST /api/v1/orders/{order_id}/cancel": "cancelOrder",
    "GET /api/v1/invoices": "listInvoices",
    "POST /api/v1/invoices": "createInvoice",
    "POST /api/v1/invoices/{invoice_id}/finalise": "finaliseInvoice",
    "POST /api/v1/invoices/{invoice_id}/credit-notes": "issueCreditNote",
    "POST /api/v1/invoices/{invoice_id}/mark-paid": "markInvoicePaid",
    "DELETE /api/v1/invoices/{invoice_id}/lines/{line_id}": "removeInvoiceLine",
    "GET /api/v1/products": "listProducts",
    "PATCH /api/v1/products/{product_id}": "updateProduct",
    "GET /api/v1/categories": "listCategories",
    "POST /api/v1/auth/login": "login",
    "POST /api/v1/auth/register": "register",
    "GET /api/v1/users/me": "getProfile",
}


def test_the_operations_partners_call_keep_their_names(spec):
    ids = {label: op.get("operationId") for label, op in _operations(spec)}
    assert {label: ids.get(label) for label in PINNED} == PINNED


def test_categories_have_their_own_tag(spec):
    assert spec["paths"]["/api/v1/categories"]["get"]["tags"] == ["categories"]
    assert spec["paths"]["/api/v1/products"]["get"]["tags"] == ["products"]


def test_every_override_names_a_registered_operation(sqlite_app):
    """A renamed view must not leave its override behind, silently unused."""
    registered = {f"{method} {rule.endpoint}" for rule in sqlite_app.url_map.iter_rules()
                  for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert set(OVERRIDES) <= registered, set(OVERRIDES) - registered


class Widgets(MethodView):
    pass


class WidgetItem(MethodView):
    pass


class Categories(MethodView):
    pass


def cancel():
    pass


def mark_paid():
    pass


def remove_line():
    pass


def whoami():
    pass


@pytest.mark.parametrize(("rule", "view", "method", "expected"), [
    ("", Widgets, "get", "listWidgets"),
    ("", Widgets, "post", "createWidget"),
    ("/categories", Categories, "post", "createCategory"),
    ("/<widget_id>", WidgetItem, "get", "getWidget"),
    ("/<uuid:widget_id>", WidgetItem, "put", "replaceWidget"),
    ("/<widget_id>", WidgetItem, "patch", "updateWidget"),
    ("/<widget_id>", WidgetItem, "delete", "deleteWidget"),
    ("/<order_id>/cancel", cancel, "post", "cancelOrder"),
    ("/<invoice_id>/mark-paid", mark_paid, "post", "markInvoicePaid"),
    ("/<invoice_id>/lines/<line_id>", remove_line, "delete", "removeInvoiceLine"),
    ("/<credit_note_id>/cancel", cancel, "post", "cancelCreditNote"),
    ("/whoami", whoami, "get", "whoami"),
])
def test_convention(rule, view, method, expected):
    assert conventional_operation_id(rule, view, method) == expected


@pytest.mark.parametrize(("path", "tag"), [
    ("/api/v1/orders", "orders"), ("/api/v1/orders/<order_id>/cancel", "orders"),
    ("/api/v1/categories", "categories"), ("/healthz", None),
])
def test_resource_tag(path, tag):
    assert resource_tag(path) == tag


def test_an_explicit_operation_id_and_tags_win_over_the_convention():
    from flask import Flask

    from api.smorest import Api, Blueprint

    app = Flask(__name__)
    app.config.update(API_TITLE="t", API_VERSION="1", OPENAPI_VERSION="3.1.0")
    blp = Blueprint("widgets", __name__, url_prefix="/api/v1/widgets")

    @blp.route("/<widget_id>/polish", methods=["POST"])
    @blp.doc(operationId="shineWidget")
    def polish(widget_id):
        """Polish it."""

    @blp.route("/<widget_id>/wrap", methods=["POST"], tags=["gifts"])
    def wrap(widget_id):
        """Wrap it."""

    api = Api(app)
    api.register_blueprint(blp)
    paths = api.spec.to_dict()["paths"]
    assert paths["/api/v1/widgets/{widget_id}/polish"]["post"]["operationId"] == "shineWidget"
    assert paths["/api/v1/widgets/{widget_id}/polish"]["post"]["tags"] == ["widgets"]
    assert paths["/api/v1/widgets/{widget_id}/wrap"]["post"]["operationId"] == "wrapWidget"
    assert paths["/api/v1/widgets/{widget_id}/wrap"]["post"]["tags"] == ["gifts"]
