# Brug — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
GO ?= go
export CGO_ENABLED := 0

BIN := bin/brug
FRONTEND_STAMP := frontend/node_modules/.installed
E2E_STAMP := e2e/node_modules/.installed
GO_SOURCES := $(shell find cmd internal api migrations frontend/embed.go -type f \( -name '*.go' -o -name '*.sql' -o -name '*.json' -o -name '*.yaml' -o -name '*.html' -o -name '*.css' -o -name '*.js' -o -name '*.csv' \) 2>/dev/null)
SPA_SOURCES := $(shell find frontend/src frontend/public frontend/index.html frontend/vite.config.* frontend/package.json -type f 2>/dev/null)

.PHONY: run build spa test test-go test-frontend test-e2e lint deploy-check kubeconform systemd-verify bench bench-all bench-web clean help

help:
	@echo "make run    build everything and start Brug on SQLite with demo data"
	@echo "make test   run every test (Go on SQLite, and PostgreSQL when TEST_DATABASE_URL is set; frontend; browser)"

$(FRONTEND_STAMP): frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	@touch $@

$(E2E_STAMP): e2e/package-lock.json
	cd e2e && npm ci --no-audit --no-fund
	@touch $@

frontend/dist/index.html: $(FRONTEND_STAMP) $(SPA_SOURCES)
	cd frontend && npm run build

spa: frontend/dist/index.html

$(BIN): frontend/dist/index.html $(GO_SOURCES) go.mod go.sum
	$(GO) build -trimpath -o $(BIN) ./cmd/brug

build: $(BIN)

run: $(BIN)
	BRUG_DEMO=true ./$(BIN) serve

test: test-go test-frontend test-e2e

test-go: lint
	@if [ -n "$$TEST_DATABASE_URL" ]; then echo "Go tests on SQLite and PostgreSQL"; else echo "Go tests on SQLite (set TEST_DATABASE_URL for PostgreSQL too)"; fi
	$(GO) vet ./...
	$(GO) test -count=1 ./...

test-frontend: $(FRONTEND_STAMP)
	cd frontend && npm run check && npm test

test-e2e: $(BIN) $(E2E_STAMP)
	cd e2e && BRUG_BIN=$(CURDIR)/$(BIN) npm test

lint: deploy-check
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet ./...

# The deployment files: Kubernetes manifests against the Kubernetes schemas
# (kubeconform, strict, offline) and the systemd unit (systemd-analyze).
deploy-check: kubeconform systemd-verify

# kubeconform comes from the Go module proxy; its schemas are made offline
# by deploy/kubeschema from the OpenAPI documents that the Go module
# k8s.io/client-go ships (core, apps and batch v1: a manifest of another
# group has no schema and fails, it is not skipped).
KUBECONFORM_VERSION := v0.8.0
KUBE_OPENAPI := k8s.io/client-go@v0.34.1
KUBECONFORM := bin/tools/kubeconform-$(KUBECONFORM_VERSION)
KUBE_SCHEMAS := bin/tools/kubeschemas-$(subst @,-,$(notdir $(KUBE_OPENAPI)))

$(KUBECONFORM):
	GOBIN=$(CURDIR)/bin/tools/gobin $(GO) install github.com/yannh/kubeconform/cmd/kubeconform@$(KUBECONFORM_VERSION)
	mv bin/tools/gobin/kubeconform $@

$(KUBE_SCHEMAS)/.made: deploy/kubeschema/main.go
	cd "$$(mktemp -d)" && $(GO) mod download $(KUBE_OPENAPI)
	rm -rf $(KUBE_SCHEMAS)
	d="$$($(GO) env GOMODCACHE)/$(KUBE_OPENAPI)/openapi/openapitest/testdata"; \
	$(GO) run ./deploy/kubeschema -o $(KUBE_SCHEMAS) $$d/api__v1_openapi.json $$d/apis__apps__v1_openapi.json $$d/apis__batch__v1_openapi.json
	@touch $@

kubeconform: $(KUBECONFORM) $(KUBE_SCHEMAS)/.made
	$(KUBECONFORM) -strict -summary -schema-location '$(KUBE_SCHEMAS)/{{.ResourceKind}}{{.KindSuffix}}.json' deploy/k8s

# verify needs the binaries the unit names to exist: /usr/bin/true stands in
# for /usr/local/bin/brug.
systemd-verify:
	@command -v systemd-analyze >/dev/null || (echo "systemd-analyze is missing: apt-get install -y systemd"; exit 1)
	d="$$(mktemp -d)" && sed 's|/usr/local/bin/brug|/usr/bin/true|g' deploy/brug.service > "$$d/brug.service" && \
	systemd-analyze verify "$$d/brug.service"; rc=$$?; rm -rf "$$d"; exit $$rc

# Issue 18's table: brug serve (SQLite and PostgreSQL) against the
# hand-written floor (bench/floor) on 100 000 clients, 3 interleaved rounds.
# Figures to read, not a test. Needs a PostgreSQL (the local one by default).
bench: export TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
bench:
	$(GO) test ./bench -run '^$$' -bench Floor -benchtime 1x -timeout 60m

# Every benchmark of every package (the 1M-visit ones take a while).
bench-all:
	$(GO) test -run '^$$' -bench . -benchmem -timeout 180m ./...

# Lighthouse on Today, caseload, a client page, the dashboard and sign-in,
# mobile and desktop, median of 3: figures to read, not a test.
bench-web: $(BIN) $(E2E_STAMP)
	cd e2e && BRUG_BIN=$(CURDIR)/$(BIN) node bench-web.mjs $(PAGES)

clean:
	rm -rf bin frontend/node_modules e2e/node_modules
	find frontend/dist -mindepth 1 ! -name .keep -delete
