"""The Flask-Admin back office: thin views that call app/ services."""
from flask import Flask, request
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme

from app.core.security_headers import csp_nonce
from app.extensions import login_manager


def init_app(app: Flask) -> Admin:
    from admin import auth
    from admin.account import AccountView
    from admin.dashboard import DashboardView
    from admin.views.apikeys import ApiKeysView
    from admin.views.audit import AuditView
    from admin.views.events import DeliveriesView
    from admin.views.orders import OrdersView
    from admin.views.products import ProductsView
    from admin.views.staff import StaffView
    from admin.views.users import CustomersView
    from app.apikeys.models import ApiKey
    from app.audit.models import AuditEntry
    from app.catalog.models import Product
    from app.events.models import EventDelivery
    from app.extensions import db
    from app.orders.models import Order
    from app.staff import service as staff_service
    from app.staff.models import Staff
    from app.users.models import User

    from admin import display

    display.init_app(app)
    _babel_for_flask_admin(app)
    login_manager.init_app(app)
    login_manager.login_view = "backoffice.login"

    @login_manager.user_loader
    def _load(session_id):
        found = staff_service.load_session(session_id)
        if found is None:
            return None
        staff, session = found
        staff.current_session_id = session.id
        staff.mfa_pending = not session.mfa_passed
        return staff

    app.register_blueprint(auth.bp)

    @app.after_request
    def _backoffice_headers(response):
        if request.path.startswith("/admin/") and not _is_static(request.path):
            # Pages may show secrets (a new API key, a TOTP secret): never cache them.
            # (The other security headers: app/core/security_headers.py, for every page.)
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    # Created per app, with fresh view objects: a module-level Admin (or a view object
    # shared between two Admins) breaks when the factory runs twice.
    admin = Admin(
        app,
        name="NextGen Market",
        index_view=DashboardView(name="Dashboard", url="/admin"),
        theme=Bootstrap4Theme(base_template="backoffice/master.html", fluid=True),
        csp_nonce_generator=csp_nonce,  # Flask-Admin's own inline scripts (form pages)
    )
    admin.add_view(CustomersView(User, db, name="Customers", endpoint="customers",
                                 url="/admin/customers"))
    admin.add_view(ProductsView(Product, db, name="Products", endpoint="bo_products",
                                url="/admin/products"))
    admin.add_view(OrdersView(Order, db, name="Orders", endpoint="bo_orders",
                              url="/admin/orders"))
    admin.add_view(AuditView(AuditEntry, db, name="Audit log", endpoint="audit_log",
                             url="/admin/audit"))
    admin.add_view(ApiKeysView(ApiKey, db, name="API keys", endpoint="api_keys",
                               url="/admin/api-keys", category="Settings"))
    admin.add_view(StaffView(Staff, db, name="Staff", endpoint="staff_accounts",
                             url="/admin/staff", category="Settings"))
    admin.add_view(DeliveriesView(EventDelivery, db, name="Failed deliveries",
                                  endpoint="deliveries", url="/admin/deliveries",
                                  category="Operations"))
    from admin.views.notifications import NotificationsView
    from app.notifications.models import Notification

    admin.add_view(NotificationsView(Notification, db, name="Notifications",
                                     endpoint="bo_notifications", url="/admin/notifications",
                                     category="Operations"))
    from admin.views.webhooks import WebhookEndpointsView
    from app.webhooks.models import WebhookEndpoint

    admin.add_view(WebhookEndpointsView(WebhookEndpoint, db, name="Webhooks",
                                        endpoint="bo_webhooks", url="/admin/webhooks",
                                        category="Operations"))
    # Finance: invoices, exports, tax rates (finance and admin roles).
    from admin.views.exports import InvoiceExportsView
    from admin.views.invoices import InvoicesView
    from admin.views.tax import TaxRatesView
    from app.invoices.models import Invoice
    from app.tax.models import TaxRate

    admin.add_view(InvoicesView(Invoice, db, name="Invoices", endpoint="bo_invoices",
                                url="/admin/invoices", category="Finance"))
    admin.add_view(InvoiceExportsView(name="Exports", endpoint="bo_invoice_exports",
                                      url="/admin/invoice-exports", category="Finance"))
    admin.add_view(TaxRatesView(TaxRate, db, name="Tax rates", endpoint="bo_tax_rates",
                                url="/admin/tax-rates", category="Finance"))
    # Payments: list and detail, refund approvals, bank transfers (support reads).
    from admin.views.bank_transfers import BankTransfersView
    from admin.views.payments import PaymentsView
    from admin.views.refund_requests import RefundRequestsView
    from app.payments.models import BankTransfer, Payment, RefundRequest

    admin.add_view(PaymentsView(Payment, db, name="Payments", endpoint="bo_payments",
                                url="/admin/payments", category="Payments"))
    admin.add_view(RefundRequestsView(RefundRequest, db, name="Refund approvals",
                                      endpoint="bo_refund_requests",
                                      url="/admin/refund-requests", category="Payments"))
    admin.add_view(BankTransfersView(BankTransfer, db, name="Bank transfers",
                                     endpoint="bo_bank_transfers", url="/admin/bank-transfers",
                                     category="Payments"))
    from admin.views.reconciliation import ReconciliationView
    from app.payments.reconciliation_models import ReconciliationItem

    admin.add_view(ReconciliationView(ReconciliationItem, db, name="Reconciliation",
                                      endpoint="bo_reconciliation", url="/admin/reconciliation",
                                      category="Finance"))
    from admin.views.fraud_reviews import FraudReviewsView
    from admin.views.fraud_rules import FraudRulesView
    from app.fraud.models import FraudReview

    admin.add_view(FraudReviewsView(FraudReview, db, name="Review queue",
                                    endpoint="bo_fraud_reviews", url="/admin/fraud/reviews",
                                    category="Fraud"))
    admin.add_view(FraudRulesView(name="Rules and lists", endpoint="bo_fraud_rules",
                                  url="/admin/fraud/rules", category="Fraud"))

    from admin.views.jobs import JobsView

    admin.add_view(JobsView(name="Jobs", endpoint="bo_jobs", url="/admin/jobs",
                            category="Operations"))
    admin.add_view(AccountView(name="My account", endpoint="account", url="/admin/account"))
    from admin.views.search import SearchView

    admin.add_view(SearchView(name="Search", endpoint="bo_search", url="/admin/search"))
    return admin


def _is_static(path: str) -> bool:
    return path.startswith(("/admin/static/", "/admin/assets/"))


def _babel_for_flask_admin(app: Flask) -> None:
    """Flask-Admin translates through Flask-Babel whenever it is importable, and then
    needs it initialised: a shared environment may have it installed (the notifications
    branch adds it) before this app initialises it itself."""
    if "babel" in app.extensions:
        return
    try:
        from flask_babel import Babel
    except ImportError:
        return
    Babel(app)
