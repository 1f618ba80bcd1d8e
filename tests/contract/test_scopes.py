"""#13 finding 11: the API-key scopes offered (back office, CLI) are exactly those some
operation of the spec requires; a scope that guards nothing is not offered."""
import json
from pathlib import Path

from api.smorest import API_KEY
from app.apikeys.service import SCOPES

ROOT = Path(__file__).resolve().parents[2]


def test_scopes_offered_are_the_scopes_enforced():
    spec = json.loads((ROOT / "openapi.json").read_text())
    enforced = {scope
                for item in spec["paths"].values() for operation in item.values()
                if isinstance(operation, dict)
                for requirement in operation.get("security", [])
                for scope in requirement.get(API_KEY, [])}
    assert set(SCOPES) == enforced, {"offered, guarding nothing": set(SCOPES) - enforced,
                                     "enforced, not offered": enforced - set(SCOPES)}
    assert len(SCOPES) == len(set(SCOPES))


def test_a_scope_that_guards_nothing_cannot_be_given(app):
    from app.apikeys import service
    from app.core.actor import Actor
    from app.core.errors import InvalidInput

    import pytest

    with pytest.raises(InvalidInput):
        service.create("Reader", ["catalog:read"], actor=Actor.system("tests"))
