"""Attachments are stored as references and produced when the message is sent: a PDF
is not copied into every notification row."""
from __future__ import annotations


def invoice_pdf(invoice_id) -> dict:
    return {"kind": "invoice_pdf", "invoice_id": str(invoice_id)}


def resolve(refs: list[dict]) -> list[tuple[str, str, bytes]]:
    from app.invoices import documents, service as invoices

    files = []
    for ref in refs:
        if ref.get("kind") != "invoice_pdf":
            raise ValueError(f"unknown attachment {ref!r}")
        invoice = invoices.get(ref["invoice_id"])
        files.append((f"{invoice.number}.pdf", "application/pdf", documents.pdf_bytes(invoice)))
    return files
