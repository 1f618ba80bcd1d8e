"""Accessibility of the back office, in Chromium, on the demo data (every page has
content): axe-core (pinned in tests/a11y, injected into the page) finds no serious or
critical violation on the main pages, nor a missing main landmark or heading structure; the keyboard reaches the global search with a
visible focus and opens an order by its number; at tablet width (768x1024) the orders
list does not make the page scroll sideways."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests import services
from tests.e2e.test_dashboard import _sign_in

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[1] / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
# Fixed once (moderate to axe, but what a screen reader user navigates by): kept fixed.
STRUCTURE = ("landmark-one-main", "page-has-heading-one", "heading-order", "landmark-unique")


@pytest.fixture(scope="module")
def demo(live_server):
    """The demo data, as `flask demo load` leaves it: ids of the pages to visit."""
    from sqlalchemy import select

    from app import demo as demo_data
    from app.core.uow import unit_of_work
    from app.extensions import db
    from app.orders.models import Order
    from app.users.models import User

    with live_server.app.app_context():
        with unit_of_work():
            demo_data.load()
        order = db.session.scalars(select(Order).where(Order.status == "paid")
                                   .order_by(Order.created_at.desc())).first()
        alice = db.session.scalars(select(User).where(User.email == "alice@example.com")).one()
        return {"order_id": str(order.id), "order_number": order.number,
                "customer_id": str(alice.id)}


def _pages(demo):
    return {
        "dashboard": "/admin/",
        "orders list": "/admin/orders/",
        "order": f"/admin/orders/details/?id={demo['order_id']}",
        "customers list": "/admin/customers/",
        "customer 360": f"/admin/customers/details/?id={demo['customer_id']}",
        "invoices list": "/admin/invoices/",
        "fraud reviews": "/admin/fraud/reviews/",
        "audit log": "/admin/audit/",
    }


def _axe(page) -> list[dict]:
    # Evaluated through the DevTools protocol: the page's Content-Security-Policy (no
    # inline scripts) does not apply, and nothing of axe ships with the back office.
    page.evaluate(AXE.read_text())
    return page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 8).map(n => {
                const d = (n.any[0] || {}).data || {};
                return n.target.join(' ') + (d.contrastRatio ?
                    ` (${d.fgColor} on ${d.bgColor}: ${d.contrastRatio})` : '');
            })}));
    }""")


def test_main_pages_have_no_serious_or_critical_axe_violations(server, page, demo):
    services.need(None if AXE.exists() else
                  f"{AXE} is missing (make test installs tests/a11y's node_modules)")
    _sign_in(page, server, "admin")
    found = {}
    for name, url in _pages(demo).items():
        response = page.goto(url)
        assert response.status == 200, (name, response.status)
        page.wait_for_load_state("networkidle")
        violations = _axe(page)
        for v in violations:
            print(f"axe {name}: {v['impact']:8} {v['id']}: {v['help']} {v['nodes']}")
        blocking = [v for v in violations
                    if v["impact"] in BLOCKING or v["id"] in STRUCTURE]
        if blocking:
            found[name] = blocking
    assert not found, found


def _tab_to(page, is_target: str, limit: int = 60) -> None:
    """Press Tab until ``is_target`` (a JS predicate on the focused element) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {is_target})(document.activeElement)"):
            return
    pytest.fail(f"Tab never reached: {is_target}")


def test_keyboard_reaches_the_search_and_opens_an_order(server, page, demo):
    _sign_in(page, server, "admin")
    page.locator("body").focus()
    _tab_to(page, "el.id === 'bo-search-q'")
    # A visible focus: an outline or a focus ring (box shadow) on the search box.
    ring = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return {outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
                shadow: s.boxShadow !== 'none'}; }""")
    assert ring["outline"] or ring["shadow"], ring
    page.keyboard.type(f"#{demo['order_number']}")
    page.keyboard.press("Enter")
    page.wait_for_selector("#results-orders")
    _tab_to(page, f"el.closest('#results-orders') && el.textContent.includes("
                  f"'#{demo['order_number']}')")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/admin/orders/details/?id={demo['order_id']}*")


def test_orders_list_fits_a_tablet_without_sideways_scrolling(server, chromium, demo):
    context = chromium.new_context(viewport={"width": 768, "height": 1024},
                                   base_url=server.url)
    try:
        page = context.new_page()
        _sign_in(page, server, "admin")
        page.goto("/admin/orders/")
        page.wait_for_selector("table.model-list")
        width = page.evaluate("() => [document.documentElement.scrollWidth, "
                              "document.documentElement.clientWidth]")
        assert width[0] <= width[1], f"the page is {width[0]}px wide in a {width[1]}px viewport"
    finally:
        context.close()
