# The README's two commands: `make demo` and `make test`. Each sets up what it needs.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: setup system demo test lint samples clean

setup: system $(STAMP)

system:
	@bash scripts/system-deps.sh

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q -c constraints.txt -e '.[dev,dask,s3,parquet,notebook,interop]'
	@touch $(STAMP)

# The sample dump is committed; regenerating it rewrites identical bytes and
# restores the file times that git does not keep.
samples: setup
	$(BIN)/python samples/make_samples.py

# the notes on the sheets are read (OCR, about half a minute on 2 cores): the daily
# timeline's notes_* columns count them by language, beside the drawings
demo: samples
	rm -rf demo-case
	$(BIN)/forensics scan samples/dump -o demo-case || test $$? -eq 1
	$(BIN)/forensics timeline demo-case --freq D --tz +09:00

lint: setup
	$(BIN)/ruff check forensics tests samples bench scripts
	$(BIN)/mypy

test: setup lint
	$(BIN)/python -m pytest

clean:
	rm -rf demo-case .pytest_cache .mypy_cache .ruff_cache
