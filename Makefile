# Stocktake — one-command tooling. `make demo` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo serve test test-sqlite test-postgres lint format bench messages clean

# constraints.txt pins every package the install pulls in (see README, "Deploying").
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -c 'import sys; sys.exit("Stocktake needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "Stocktake needs Node.js with npm (on Debian: apt-get install nodejs npm)" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP) $(NODE_STAMP)

demo: install
	$(BIN)/stocktake migrate --noinput
	$(BIN)/stocktake load_vocabularies
	$(BIN)/stocktake load_demo
	@echo "Stocktake is at http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	@# The task worker (imports) runs beside the server and stops with it.
	$(BIN)/stocktake db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/stocktake runserver $(HOST):$(PORT)

serve: install
	$(BIN)/stocktake runserver $(HOST):$(PORT)

# The whole suite on SQLite, then on PostgreSQL (see scripts/test-all).
test: install
	scripts/test-all

lint: install
	$(BIN)/ruff check src benchmarks scripts
	$(BIN)/ruff format --check src benchmarks scripts

format: install
	$(BIN)/ruff check --fix src benchmarks scripts
	$(BIN)/ruff format src benchmarks scripts

# Benchmarks on SQLite, then on PostgreSQL when a server answers (record in docs/benchmarks.md).
BENCH_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/stocktake_bench
bench: install
	$(BIN)/python benchmarks/run.py
	@if $(BIN)/python scripts/postgres_ready.py "$(BENCH_POSTGRES_URL)"; then \
		$(BIN)/python benchmarks/run.py --postgres "$(BENCH_POSTGRES_URL)"; \
	else echo "SKIPPED the PostgreSQL benchmarks: no server at $(BENCH_POSTGRES_URL)"; fi

messages: install
	cd src/stocktake && ../../$(BIN)/stocktake makemessages --all --no-obsolete --add-location file
	cd src/stocktake && ../../$(BIN)/stocktake compilemessages

clean:
	rm -rf $(VENV) node_modules var/static
