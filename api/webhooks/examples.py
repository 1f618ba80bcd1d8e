"""Examples for the docs and SDKs (request and response bodies)."""
import json

_ID = "0b6f1c2e-8a4d-4f7b-9c1e-2d3f4a5b6c7d"
_EVENT_ID = "5e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b"
_ORDER_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
_AT = "2026-12-03T09:30:00+00:00"

ENDPOINT_CREATE = {"url": "https://partner.example.com/hooks/nextgen",
                   "event_types": ["order.placed", "order.paid"],
                   "contact_email": "ops@partner.example.com",
                   "description": "Order sync", "enabled": True}
ENDPOINT_UPDATE = {"event_types": ["order.placed", "order.paid", "order.cancelled"],
                   "enabled": True}
ENDPOINT = {"id": _ID, "url": ENDPOINT_CREATE["url"],
            "event_types": ENDPOINT_CREATE["event_types"],
            "contact_email": ENDPOINT_CREATE["contact_email"], "description": "Order sync",
            "enabled": True, "disabled_reason": None, "disabled_at": None,
            "previous_secret_valid_until": None, "created_at": _AT, "updated_at": _AT}
ENDPOINT_LIST = {"data": [ENDPOINT]}
ENDPOINT_CREATED = {**ENDPOINT, "secret": "whsec_3q2-7wZf0c4Yk1mB8pQxR5tV9uN6aL2dE0sG4hJ7kM1"}
ENDPOINT_ROTATED = {**ENDPOINT_CREATED, "previous_secret_valid_until": "2026-12-04T09:30:00+00:00"}
REPLAY = {"event_id": _EVENT_ID}
EVENT_PAYLOAD = {"id": _EVENT_ID, "type": "order.placed", "created": _AT,
                 "api_version": "1.0.0", "sequence": 1,
                 "data": {"object": {"id": _ORDER_ID, "status": "pending_payment",
                                     "currency": "EUR", "total_amount": 2379}}}
EVENT = {"id": _EVENT_ID, "type": "order.placed", "object_id": _ORDER_ID, "sequence": 1,
         "created_at": _AT, "payload": EVENT_PAYLOAD}
EVENT_LIST = {"data": [EVENT], "has_more": False, "next_cursor": None}
DELIVERY = {"id": "c4d5e6f7-0a1b-4c2d-8e3f-4a5b6c7d8e9f", "event_id": _EVENT_ID,
            "event_type": "order.placed", "endpoint_id": _ID, "kind": "event",
            "status": "succeeded", "attempt_count": 2, "next_attempt_at": None,
            "last_status_code": 200, "last_error": None, "created_at": _AT,
            "completed_at": "2026-12-03T09:30:41+00:00",
            "request_body": json.dumps(EVENT_PAYLOAD, separators=(",", ":")),
            "attempts": [
                {"number": 1, "started_at": _AT, "duration_ms": 112, "response_status": 503,
                 "response_excerpt": "Service Unavailable", "error": "HTTP 503",
                 "next_retry_at": "2026-12-03T09:30:41+00:00"},
                {"number": 2, "started_at": "2026-12-03T09:30:41+00:00", "duration_ms": 87,
                 "response_status": 200, "response_excerpt": "ok", "error": None,
                 "next_retry_at": None}]}
DELIVERY_LIST = {"data": [DELIVERY], "has_more": False, "next_cursor": None}
