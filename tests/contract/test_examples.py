"""Body examples are composed from the fields' examples (api/examples.py), per direction,
and a required field without one is caught when the route is declared."""
import marshmallow as ma
import pytest

from api.enums import ORDER_STATUS, named_enum
from api.examples import REQUEST, RESPONSE, MissingExample, body_example


class Line(ma.Schema):
    sku = ma.fields.String(metadata={"example": "MUG-1"})
    note = ma.fields.String()  # optional, untyped: left out


class Thing(ma.Schema):
    id = ma.fields.UUID(dump_only=True)
    secret = ma.fields.String(load_only=True, metadata={"example": "s3cret"})
    status = ma.fields.String(metadata=named_enum(ORDER_STATUS))
    lines = ma.fields.List(ma.fields.Nested(Line))
    amount = ma.fields.Integer(data_key="total", metadata={"example": 1250})


def test_request_and_response_examples_follow_load_only_and_dump_only():
    assert body_example(Thing(), REQUEST) == {
        "secret": "s3cret", "status": "pending_payment", "lines": [{"sku": "MUG-1"}],
        "total": 1250}
    response = body_example(Thing(), RESPONSE)
    assert "secret" not in response and "id" in response and response["total"] == 1250


def test_a_required_field_without_an_example_is_an_error():
    class Bare(ma.Schema):
        name = ma.fields.String(required=True)

    with pytest.raises(MissingExample, match="Bare.name"):
        body_example(Bare(), REQUEST)


def test_an_unknown_shared_enum_is_an_error():
    with pytest.raises(KeyError):
        named_enum("OrderState")
