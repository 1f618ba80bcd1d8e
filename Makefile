# The two commands a newcomer needs: `make run` and `make test`. Both set themselves up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi

.PHONY: run test test-fast bench worker cron openapi sdk vendor-docs vendor-charts clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.run-deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.run-deps

# The TypeScript SDK's npm packages, exactly as locked. Without npm its tests skip (and fail
# under REQUIRE_SERVICES=1, as for PostgreSQL and Redis).
SDK_TS := api/sdk/typescript
NPM_DEPS := $(SDK_TS)/node_modules/.package-lock.json
$(NPM_DEPS): $(SDK_TS)/package-lock.json
	@if command -v npm >/dev/null; then \
		cd $(SDK_TS) && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.package-lock.json; \
	else echo "npm not found: the TypeScript SDK tests will be skipped"; fi

# Azurite (Microsoft's Azure Storage emulator) for the audit archive tests, exactly as locked.
AZURITE := tests/azurite
AZURITE_DEPS := $(AZURITE)/node_modules/.package-lock.json
$(AZURITE_DEPS): $(AZURITE)/package-lock.json
	@if command -v npm >/dev/null; then \
		cd $(AZURITE) && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.package-lock.json; \
	else echo "npm not found: the Azure Blob archive tests will be skipped"; fi

# axe-core for the accessibility browser tests (tests/e2e/test_accessibility.py), exactly as locked.
A11Y := tests/a11y
A11Y_DEPS := $(A11Y)/node_modules/.package-lock.json
$(A11Y_DEPS): $(A11Y)/package-lock.json
	@if command -v npm >/dev/null; then \
		cd $(A11Y) && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.package-lock.json; \
	else echo "npm not found: the accessibility tests will be skipped"; fi

## Serve on http://127.0.0.1:$(PORT) (embedded default unless DATABASE_URL/REDIS_URL are set)
run: $(VENV)/.run-deps
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load
	@echo "Back office: http://127.0.0.1:$(PORT)/admin/  API docs: http://127.0.0.1:$(PORT)/api/v1/docs"
	@[ -n "$$STRIPE_API_KEY" ] || echo "Card payments are off (503): set STRIPE_API_KEY, and STRIPE_API_BASE=http://127.0.0.1:8420 to use a local 'localstripe --port 8420' (see README)."
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

## The whole suite: SQLite always, PostgreSQL/Redis/Chromium when present (required in CI)
## Two processes by default (pytest-xdist, one per core of the CI machine; a test file stays
## in one process, so its servers start once); each has its own databases. TEST_WORKERS=0: one.
TEST_WORKERS ?= 2
test: $(VENV)/.dev-deps $(NPM_DEPS) $(AZURITE_DEPS) $(A11Y_DEPS)
	$(BIN)/python -m pytest $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile) $(PYTEST_ARGS)

## With REDIS_URL: an RQ worker on every queue, and the periodic jobs' scheduler (rq.cron)
worker: $(VENV)/.run-deps
	$(BIN)/flask rq worker

cron: $(VENV)/.run-deps
	$(BIN)/flask rq cron

openapi: $(VENV)/.run-deps
	$(BIN)/flask openapi write --format json openapi.json

## Regenerate openapi.json, then the SDKs from it: api/sdk/python (openapi-python-client)
## and api/sdk/typescript (openapi-typescript types for openapi-fetch); versions follow the API
sdk: openapi $(VENV)/.dev-deps $(NPM_DEPS)
	$(BIN)/python api/sdk/generate.py

## Re-vendor Swagger UI (npm swagger-ui-dist) at the pinned version, or upgrade it:
## make vendor-docs SWAGGER_UI_VERSION=5.x.y  (see api/static/swagger-ui/README.md)
vendor-docs:
	./api/static/swagger-ui/vendor.sh $(SWAGGER_UI_VERSION)

## Re-vendor Chart.js (npm chart.js) for the dashboard at the pinned version, or upgrade it:
## make vendor-charts CHARTJS_VERSION=4.x.y  (see admin/static/vendor/README.md)
vendor-charts:
	./admin/static/vendor/vendor.sh $(CHARTJS_VERSION)

bench: $(VENV)/.dev-deps
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
