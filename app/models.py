"""Imports every aggregate's models so metadata (and Alembic) sees all tables."""
from app.apikeys.models import ApiKey  # noqa: F401
from app.audit import chain as _audit_chain  # noqa: F401  (seals audit entries on commit)
from app.audit.models import AuditArchive, AuditChainHead, AuditEntry  # noqa: F401
from app.events.models import EventDelivery, OutboxEvent  # noqa: F401
from app.staff.models import SavedFilter, Staff, StaffSession  # noqa: F401
from app.users.models import AuthSession, RefreshToken, User  # noqa: F401
from app.catalog.models import Category, Product  # noqa: F401
from app.idempotency.models import IdempotencyRecord  # noqa: F401
from app.orders.models import Order, OrderHistory, OrderLine  # noqa: F401
from app.invoices.models import Invoice, InvoiceCounter, InvoiceLine  # noqa: F401
from app.tax.models import TaxRate, VatCheck  # noqa: F401
from app.invoices.export_models import InvoiceExport, InvoiceExportItem  # noqa: F401
from app.payments.models import GatewayEvent, Payment, Refund  # noqa: F401
from app.payments.reconciliation_models import ReconciliationItem  # noqa: F401
from app.payments.method_models import GatewayCustomer, PaymentMethod  # noqa: F401
from app.webhooks.models import (  # noqa: F401
    WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent, WebhookSequence,
)
from app.fraud.models import FraudCheck, FraudListEntry, FraudReview, FraudRule, FraudRuleChange  # noqa: F401
from app.reporting.models import DailySales, DailySalesByRate  # noqa: F401
