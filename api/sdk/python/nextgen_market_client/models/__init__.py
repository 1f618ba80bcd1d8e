""" Contains all the data models used in inputs/outputs """

from .address import Address
from .api_error import ApiError
from .api_error_errors import ApiErrorErrors
from .bank_transfer import BankTransfer
from .bank_transfer_create import BankTransferCreate
from .bank_transfer_list import BankTransferList
from .bank_transfer_status import BankTransferStatus
from .bulk_upsert import BulkUpsert
from .bulk_upsert_result import BulkUpsertResult
from .buyer import Buyer
from .cancel import Cancel
from .category import Category
from .category_create import CategoryCreate
from .category_list import CategoryList
from .credit_line import CreditLine
from .credit_note import CreditNote
from .currency import Currency
from .invoice import Invoice
from .invoice_buyer import InvoiceBuyer
from .invoice_create import InvoiceCreate
from .invoice_kind import InvoiceKind
from .invoice_line import InvoiceLine
from .invoice_list import InvoiceList
from .invoice_series import InvoiceSeries
from .invoice_status import InvoiceStatus
from .line_create import LineCreate
from .list_bank_transfers_status import ListBankTransfersStatus
from .list_payments_status import ListPaymentsStatus
from .list_products_sort import ListProductsSort
from .list_webhook_events_type import ListWebhookEventsType
from .login import Login
from .mark_paid import MarkPaid
from .order import Order
from .order_create import OrderCreate
from .order_line import OrderLine
from .order_line_create import OrderLineCreate
from .order_list import OrderList
from .order_status import OrderStatus
from .pagination_metadata import PaginationMetadata
from .password_change import PasswordChange
from .password_reset_confirm import PasswordResetConfirm
from .password_reset_request import PasswordResetRequest
from .payment import Payment
from .payment_create import PaymentCreate
from .payment_create_method import PaymentCreateMethod
from .payment_list import PaymentList
from .payment_method import PaymentMethod
from .payment_next_action_type_0 import PaymentNextActionType0
from .payment_status import PaymentStatus
from .pdf_status import PdfStatus
from .phone import Phone
from .phone_confirm import PhoneConfirm
from .phone_set import PhoneSet
from .product import Product
from .product_create import ProductCreate
from .product_list import ProductList
from .product_patch import ProductPatch
from .receive_paypal_webhook_body import ReceivePaypalWebhookBody
from .receive_paypal_webhook_body_resource import ReceivePaypalWebhookBodyResource
from .receive_stripe_webhook_body import ReceiveStripeWebhookBody
from .receive_stripe_webhook_body_data import ReceiveStripeWebhookBodyData
from .refresh import Refresh
from .refund import Refund
from .refund_create import RefundCreate
from .refund_line import RefundLine
from .refund_request import RefundRequest
from .refund_request_status import RefundRequestStatus
from .refund_status import RefundStatus
from .refunded_line import RefundedLine
from .register import Register
from .replay import Replay
from .saved_payment_method import SavedPaymentMethod
from .saved_payment_method_create import SavedPaymentMethodCreate
from .saved_payment_method_list import SavedPaymentMethodList
from .setup_intent import SetupIntent
from .sms_opt_in import SmsOptIn
from .tax_breakdown import TaxBreakdown
from .tax_category import TaxCategory
from .tax_treatment import TaxTreatment
from .token import Token
from .token_only import TokenOnly
from .user import User
from .user_update import UserUpdate
from .webhook_ack import WebhookAck
from .webhook_attempt import WebhookAttempt
from .webhook_delivery import WebhookDelivery
from .webhook_delivery_kind import WebhookDeliveryKind
from .webhook_delivery_list import WebhookDeliveryList
from .webhook_delivery_status import WebhookDeliveryStatus
from .webhook_endpoint import WebhookEndpoint
from .webhook_endpoint_create import WebhookEndpointCreate
from .webhook_endpoint_create_event_types_item import WebhookEndpointCreateEventTypesItem
from .webhook_endpoint_list import WebhookEndpointList
from .webhook_endpoint_secret import WebhookEndpointSecret
from .webhook_endpoint_update import WebhookEndpointUpdate
from .webhook_endpoint_update_event_types_item import WebhookEndpointUpdateEventTypesItem
from .webhook_event import WebhookEvent
from .webhook_event_list import WebhookEventList
from .webhook_event_payload import WebhookEventPayload
from .webhook_event_type import WebhookEventType
from .who_am_i import WhoAmI

__all__ = (
    "Address",
    "ApiError",
    "ApiErrorErrors",
    "BankTransfer",
    "BankTransferCreate",
    "BankTransferList",
    "BankTransferStatus",
    "BulkUpsert",
    "BulkUpsertResult",
    "Buyer",
    "Cancel",
    "Category",
    "CategoryCreate",
    "CategoryList",
    "CreditLine",
    "CreditNote",
    "Currency",
    "Invoice",
    "InvoiceBuyer",
    "InvoiceCreate",
    "InvoiceKind",
    "InvoiceLine",
    "InvoiceList",
    "InvoiceSeries",
    "InvoiceStatus",
    "LineCreate",
    "ListBankTransfersStatus",
    "ListPaymentsStatus",
    "ListProductsSort",
    "ListWebhookEventsType",
    "Login",
    "MarkPaid",
    "Order",
    "OrderCreate",
    "OrderLine",
    "OrderLineCreate",
    "OrderList",
    "OrderStatus",
    "PaginationMetadata",
    "PasswordChange",
    "PasswordResetConfirm",
    "PasswordResetRequest",
    "Payment",
    "PaymentCreate",
    "PaymentCreateMethod",
    "PaymentList",
    "PaymentMethod",
    "PaymentNextActionType0",
    "PaymentStatus",
    "PdfStatus",
    "Phone",
    "PhoneConfirm",
    "PhoneSet",
    "Product",
    "ProductCreate",
    "ProductList",
    "ProductPatch",
    "ReceivePaypalWebhookBody",
    "ReceivePaypalWebhookBodyResource",
    "ReceiveStripeWebhookBody",
    "ReceiveStripeWebhookBodyData",
    "Refresh",
    "Refund",
    "RefundCreate",
    "RefundedLine",
    "RefundLine",
    "RefundRequest",
    "RefundRequestStatus",
    "RefundStatus",
    "Register",
    "Replay",
    "SavedPaymentMethod",
    "SavedPaymentMethodCreate",
    "SavedPaymentMethodList",
    "SetupIntent",
    "SmsOptIn",
    "TaxBreakdown",
    "TaxCategory",
    "TaxTreatment",
    "Token",
    "TokenOnly",
    "User",
    "UserUpdate",
    "WebhookAck",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookDeliveryKind",
    "WebhookDeliveryList",
    "WebhookDeliveryStatus",
    "WebhookEndpoint",
    "WebhookEndpointCreate",
    "WebhookEndpointCreateEventTypesItem",
    "WebhookEndpointList",
    "WebhookEndpointSecret",
    "WebhookEndpointUpdate",
    "WebhookEndpointUpdateEventTypesItem",
    "WebhookEvent",
    "WebhookEventList",
    "WebhookEventPayload",
    "WebhookEventType",
    "WhoAmI",
)
