/**
 * Contract test: the TypeScript client against a live server (gunicorn on PostgreSQL),
 * started by tests/contract/test_sdk_typescript.py, which passes in the environment:
 * NGM_BASE_URL, NGM_PARTNER_KEY (catalog:write), NGM_RUN (unique per run), and a customer
 * whose paid order has an invoice: NGM_INVOICE_EMAIL, NGM_INVOICE_PASSWORD,
 * NGM_INVOICE_AMOUNT (its total as printed, without the currency sign).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { extractText, getDocumentProxy } from "unpdf";

import { createApiClient, type Schemas } from "../src/index.js";

function env(name: string): string {
  const value = process.env[name];
  assert.ok(value, `${name} is not set`);
  return value;
}

const baseUrl = env("NGM_BASE_URL");
const run = env("NGM_RUN");
const address: Schemas["Address"] = {
  name: "Ada Lovelace", line1: "1 Analytical St", city: "London", postal_code: "N1 9GU",
  country: "GB",
};

async function logIn(email: string, password: string) {
  const { data, error } = await createApiClient({ baseUrl }).POST("/api/v1/auth/login", {
    body: { email, password },
  });
  assert.ok(data, JSON.stringify(error));
  assert.equal(data.token_type, "Bearer");
  return createApiClient({ baseUrl, token: data.access_token });
}

/** The text a reader of the PDF sees (unpdf: pdf.js, pinned in the lock file). */
async function pdfText(bytes: Uint8Array): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(bytes), { mergePages: true });
  return text;
}

test("a partner, a customer and an invoice through the TypeScript SDK", async () => {
  // Partner: bulk upsert by SKU (catalog:write).
  const partner = createApiClient({ baseUrl, token: env("NGM_PARTNER_KEY") });
  const tag = `ts${run}`;
  const products: Schemas["ProductCreate"][] = [1, 2, 3].map((n) => ({
    sku: `TS-${run}-${n}`, name: `Teapot ${tag} ${n}`, price_amount: 1000 * n,
    currency: "GBP", tax_category: "standard", stock_on_hand: 50,
  }));
  const upsert = await partner.POST("/api/v1/products/bulk-upsert", { body: { products } });
  assert.deepEqual(upsert.data, { created: 3, updated: 0, unchanged: 0 }, JSON.stringify(upsert.error));
  const again = await partner.POST("/api/v1/products/bulk-upsert", {
    body: { products: [{ ...products[0], price_amount: 1500 }] },
  });
  assert.deepEqual(again.data, { created: 0, updated: 1, unchanged: 0 });

  // Customer: register, log in.
  const email = `ts-${run}@example.com`;
  const password = "a long enough passphrase";
  const registered = await createApiClient({ baseUrl }).POST("/api/v1/auth/register", {
    body: { email, password, full_name: "Ada Lovelace" },
  });
  assert.equal(registered.response.status, 202, JSON.stringify(registered.error));
  const customer = await logIn(email, password);

  // Browse, search, read one.
  const page = await customer.GET("/api/v1/products", { params: { query: { page_size: 2 } } });
  assert.ok(page.data, JSON.stringify(page.error));
  assert.equal(page.data.data?.length, 2);
  assert.equal(page.data.has_more, true);
  const found = await customer.GET("/api/v1/products", {
    params: { query: { q: tag, sort: "price", include_total: true } },
  });
  assert.ok(found.data?.data, JSON.stringify(found.error));
  const hits = found.data.data;
  assert.deepEqual(hits.map((p) => p.sku), [`TS-${run}-1`, `TS-${run}-2`, `TS-${run}-3`]);
  assert.equal(found.data.total, 3);
  const cheapest = hits[0];
  assert.equal(cheapest.price_amount, 1500);
  const one = await customer.GET("/api/v1/products/{product_id}", {
    params: { path: { product_id: cheapest.id! } },
  });
  assert.equal(one.data?.sku, cheapest.sku);

  // Order with an Idempotency-Key, replayed: the same order, marked as a replay.
  const body: Schemas["OrderCreate"] = {
    lines: [{ product_id: cheapest.id!, quantity: 2 }], shipping_address: address,
  };
  const key = `ts-order-${run}`;
  const first = await customer.POST("/api/v1/orders", {
    body, params: { header: { "Idempotency-Key": key } },
  });
  assert.equal(first.response.status, 201, JSON.stringify(first.error));
  assert.equal(first.response.headers.get("Idempotent-Replayed"), null);
  const replay = await customer.POST("/api/v1/orders", {
    body, params: { header: { "Idempotency-Key": key } },
  });
  assert.equal(replay.response.status, 201);
  assert.equal(replay.response.headers.get("Idempotent-Replayed"), "true");
  assert.deepEqual(replay.data, first.data);
  assert.equal(first.data?.status, "pending_payment");
  assert.equal(first.data?.currency, "GBP");

  // Two more orders, then every order by cursor, two a page.
  for (const product of hits.slice(1)) {
    const placed = await customer.POST("/api/v1/orders", {
      body: { lines: [{ product_id: product.id!, quantity: 1 }], shipping_address: address },
    });
    assert.equal(placed.response.status, 201, JSON.stringify(placed.error));
  }
  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const listed = await customer.GET("/api/v1/orders", {
      params: { query: { limit: 2, ...(cursor ? { cursor } : {}) } },
    });
    assert.ok(listed.data, JSON.stringify(listed.error));
    seen.push(...listed.data.data.map((o) => o.id!));
    cursor = listed.data.next_cursor ?? undefined;
    assert.equal(listed.data.has_more, cursor !== undefined);
    pages += 1;
  } while (cursor);
  assert.equal(pages, 2);
  assert.equal(new Set(seen).size, 3);
  assert.equal(seen[2], first.data?.id); // newest first

  // An invoice of a paid order, and its PDF.
  const payer = await logIn(env("NGM_INVOICE_EMAIL"), env("NGM_INVOICE_PASSWORD"));
  const invoices = await payer.GET("/api/v1/invoices", { params: { query: { limit: 10 } } });
  assert.ok(invoices.data, JSON.stringify(invoices.error));
  assert.equal(invoices.data.data.length, 1);
  const listedInvoice = invoices.data.data[0];
  const invoice = await payer.GET("/api/v1/invoices/{invoice_id}", {
    params: { path: { invoice_id: listedInvoice.id! } },
  });
  assert.ok(invoice.data, JSON.stringify(invoice.error));
  assert.equal(invoice.data.status, "paid");
  assert.equal(invoice.data.amount_due, 0);
  assert.ok(invoice.data.number);
  const pdf = await payer.GET("/api/v1/invoices/{invoice_id}/pdf", {
    params: { path: { invoice_id: invoice.data.id! } }, parseAs: "arrayBuffer",
  });
  assert.equal(pdf.response.status, 200);
  assert.equal(pdf.response.headers.get("Content-Type"), "application/pdf");
  const bytes = new Uint8Array(pdf.data as ArrayBuffer);
  assert.equal(Buffer.from(bytes.subarray(0, 4)).toString("latin1"), "%PDF");
  const text = await pdfText(bytes);
  assert.ok(text.includes(`Total ${env("NGM_INVOICE_AMOUNT")}`), `no total in:\n${text}`);
});
