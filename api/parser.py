"""The request parser every API endpoint uses (webargs, through api.smorest.Blueprint).

Before any schema runs:
- a JSON body nested deeper than MAX_DEPTH, or not strict JSON, is a 400
  (app.core.jsonload);
- every string of the body (nested values and dict keys) and every query-string and
  form argument follows app.core.text's rule, else a 422 naming the field path;
- an amount filter (api.schemas.AmountFilter) in the query string that does not parse
  is a 400 naming the field (the rest of query validation stays a 422).
"""
from __future__ import annotations

import weakref

import marshmallow as ma
from webargs import core
from webargs.flaskparser import FlaskParser, abort, is_json_request
from webargs.multidictproxy import MultiDictProxy

from api.schemas import AMOUNT_MESSAGE, AmountFilter
from app.core.jsonload import TooDeep, strict_loads
from app.core.text import MESSAGE, printable, text_errors


class _Values(dict):
    """A query string as {name: [values]}, read as webargs reads a MultiDict (``get``: the
    first value, ``getlist``: all). werkzeug's MultiDict answers a missing name by building
    and catching an HTTP exception, and a schema asks for every field it has."""

    def __init__(self, multi):
        super().__init__(multi.lists())

    def get(self, key, default=None):
        values = dict.get(self, key)
        return values[0] if values else default

    def getlist(self, key):
        return list(dict.get(self, key, ()))


class _ArgsProxy(MultiDictProxy):
    def _collect_multiple_keys(self, schema):
        # Which fields take repeated values depends on the schema alone: found once.
        try:
            return _MULTIPLE_KEYS[schema]
        except (KeyError, TypeError):
            keys = frozenset(super()._collect_multiple_keys(schema))
        try:
            _MULTIPLE_KEYS[schema] = keys
        except TypeError:
            pass
        return keys


_MULTIPLE_KEYS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class Parser(FlaskParser):
    def load_querystring(self, req, schema):
        return self._makeproxy(_Values(req.args), schema, cls=_ArgsProxy)

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return core.missing
        try:
            return strict_loads(req.get_data(cache=True))
        except TooDeep as exc:
            abort(400, messages={"json": [str(exc)]})

    def pre_load(self, location_data, *, schema, req, location):
        # Query and form values are checked as the client sent them (every value of a
        # repeated argument), not as webargs' proxy presents them to the schema.
        # Chosen by name: building {"form": req.form, ...} would parse a body as a form
        # on every request.
        multi = req.args if location in ("query", "querystring") else \
            req.form if location == "form" else None
        if multi is not None:
            errors = {printable(key): [MESSAGE] for key, values in multi.lists()
                      if text_errors([key, *values])}
        elif location in ("headers", "cookies", "files"):
            errors = None  # not text fields of the API
        else:
            errors = text_errors(location_data)
        if errors:
            raise ma.ValidationError(errors)
        if multi is not None:
            _refuse_unparsed_amounts(schema, multi, location)
        return location_data


def amount_fields(schema) -> list[str]:
    """The names clients send for the schema's amount filters (found once per schema
    instance: the parser asks on every request)."""
    try:
        return _AMOUNT_FIELDS[schema]
    except (KeyError, TypeError):
        found = [field.data_key or name for name, field in schema.fields.items()
                 if isinstance(field, AmountFilter)]
    try:
        _AMOUNT_FIELDS[schema] = found
    except TypeError:  # not weak-referenceable: not kept
        pass
    return found


_AMOUNT_FIELDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _refuse_unparsed_amounts(schema, multi, location: str) -> None:
    bad = {name: [AMOUNT_MESSAGE] for name in amount_fields(schema)
           if not all(AmountFilter.parses(value) for value in multi.getlist(name))}
    if bad:
        abort(400, messages={location: bad})
