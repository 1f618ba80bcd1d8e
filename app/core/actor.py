"""Who is doing something: recorded in the audit log by every service."""
from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    kind: str  # "user" | "staff" | "apikey" | "system" | "anonymous"
    id: uuid.UUID | None = None
    label: str = ""
    scopes: frozenset[str] = frozenset()
    role: str | None = None

    @classmethod
    def system(cls, label: str = "system") -> "Actor":
        return cls(kind="system", label=label)

    @classmethod
    def anonymous(cls) -> "Actor":
        return cls(kind="anonymous", label="anonymous")

    @property
    def customer_scope(self) -> uuid.UUID | None:
        """Whose records this actor may read: a customer only their own (somebody else's
        are "not found", not "forbidden"); staff, partners and the system everybody's."""
        return self.id if self.kind == "user" else None

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.id}" if self.id else self.kind
