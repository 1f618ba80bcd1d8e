"""Every registered gateway module fits the contract of app.payments.gateways.Gateway:
what the services call exists, with the same parameters."""
import inspect

import pytest

from app.payments import gateways

CONTRACT = {name: inspect.signature(member) for name, member in vars(gateways.Gateway).items()
            if inspect.isfunction(member) and not name.startswith("_")}


@pytest.mark.parametrize("name", gateways.names())
def test_each_gateway_module_fits_the_contract(name):
    assert set(CONTRACT) == {"require", "create_payment", "capture", "cancel", "create_refund",
                             "parse_webhook", "event_effect", "recent", "card_details",
                             "card_of_payment"}
    module = gateways.get(name)
    assert module.NAME == name and isinstance(module.SETTINGS, tuple) and module.SETTINGS
    for member, expected in CONTRACT.items():
        params = list(expected.parameters.values())[1:]  # without self
        found = list(inspect.signature(getattr(module, member)).parameters.values())
        assert [(p.name, p.kind) for p in found] == [(p.name, p.kind) for p in params], (
            name, member)


def test_methods_map_to_registered_gateways():
    assert set(gateways.FOR_METHOD.values()) <= set(gateways.names())
    assert "bank_transfer" not in gateways.FOR_METHOD
