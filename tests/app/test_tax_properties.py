"""Property-based: lines + tax == total, exactly, for every combination."""
from decimal import Decimal

from hypothesis import given, settings, strategies as st

from app.tax.calculate import LineIn, compute, line, round_half_up

rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("0.9999"), places=4)
items = st.builds(LineIn, quantity=st.integers(1, 10_000),
                  unit_amount=st.integers(-10**9, 10**9), rate=rates)


@settings(max_examples=400, deadline=None)
@given(st.lists(items, min_size=1, max_size=40), st.booleans())
def test_lines_plus_tax_equal_total(lines, inclusive):
    totals = compute(lines, inclusive=inclusive)
    assert sum(l.net for l in totals.lines) + sum(l.tax for l in totals.lines) == totals.total
    assert totals.subtotal + totals.tax == totals.total
    assert sum(net for net, _ in totals.breakdown.values()) == totals.subtotal
    assert sum(tax for _, tax in totals.breakdown.values()) == totals.tax
    for item, out in zip(lines, totals.lines):
        assert out.net + out.tax == out.gross
        if inclusive:
            assert out.gross == item.quantity * item.unit_amount
        else:
            assert out.net == item.quantity * item.unit_amount
        assert all(isinstance(v, int) for v in (out.net, out.tax, out.gross))


@settings(max_examples=200, deadline=None)
@given(items, st.booleans())
def test_credit_is_the_exact_negative(item, inclusive):
    negated = LineIn(item.quantity, -item.unit_amount, item.rate)
    a, b = line(item, inclusive=inclusive), line(negated, inclusive=inclusive)
    assert (a.net, a.tax, a.gross) == (-b.net, -b.tax, -b.gross)


@settings(max_examples=200, deadline=None)
@given(items)
def test_tax_is_within_half_a_minor_unit_of_exact(item):
    out = line(item, inclusive=False)
    exact = Decimal(item.quantity * item.unit_amount) * item.rate
    assert abs(Decimal(out.tax) - exact) <= Decimal("0.5")


def test_rounding_rule_is_half_up_per_line():
    # 0.5 cent rounds up on each line (not banker's rounding, not on the total).
    assert round_half_up(Decimal("2.5")) == 3 and round_half_up(Decimal("-2.5")) == -3
    two = compute([LineIn(1, 50, Decimal("0.01")), LineIn(1, 50, Decimal("0.01"))], inclusive=False)
    assert [l.tax for l in two.lines] == [1, 1] and two.tax == 2  # 0.5 + 0.5, per line
    inclusive = compute([LineIn(1, 119, Decimal("0.19"))], inclusive=True)
    assert (inclusive.subtotal, inclusive.tax, inclusive.total) == (100, 19, 119)


def test_float_rates_are_refused():
    import pytest

    with pytest.raises(TypeError):
        line(LineIn(1, 100, 0.19), inclusive=False)
