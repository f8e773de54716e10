# punchclock: `make run` starts the server on an embedded SQLite database; `make test` runs every check.
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test lint bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/punchclock serve

lint: install
	$(BIN)/ruff check punchclock tests bench
	$(BIN)/ruff format --check punchclock tests bench
	$(BIN)/mypy

# The suite runs on SQLite, and also on a throwaway PostgreSQL cluster when PostgreSQL's tools are present.
test: lint
	@if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then \
		PATH="$(CURDIR)/$(BIN):$$PATH" scripts/with-postgres $(BIN)/pytest; \
	else \
		echo "initdb/pg_ctl not found: running the suite on SQLite only"; $(BIN)/pytest; \
	fi

bench: install
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m bench $(ARGS)

clean:
	rm -rf $(VENV) build *.egg-info
