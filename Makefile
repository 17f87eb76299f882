# Two commands work on a fresh machine (Python 3.11+ with venv, make):
#   make run    the API on its embedded default (SQLite, all plugins, loopback)
#   make test   lint, types and the whole suite
# Run as root (or CI=true) for the functional tier; see README.md.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Every distribution in the repository, each installed from its own directory.
DISTS := . tests/plugins/testplugin $(wildcard plugins/*)


.PHONY: run test lint typecheck unit demo guest-image sample-config sample-policy openapi clean

$(STAMP): VERSION setup.cfg pyproject.toml $(wildcard plugins/*/setup.cfg) tests/plugins/testplugin/setup.cfg
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,postgresql,mysql,keystone]' $(foreach d,$(filter-out .,$(DISTS)),-e $(d))
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/netservice-api --config-file etc/netservice-dev.conf

# The whole story in sandbox namespaces (needs root; without it, the dry run).
demo: $(STAMP)
	$(BIN)/python demo/run.py $(if $(filter-out 0,$(REAL)),--real)

# The libvirt guests' kernel and initramfs, from the installed Debian packages
# (linux-image-amd64, busybox-static), cached under state/guest.
guest-image: $(STAMP)
	$(BIN)/python -m netservice.linux.guestimage state

lint: typecheck
	$(BIN)/ruff check .
	$(BIN)/ruff format --check netservice

# mypy --strict on netservice, then on each plugin from a temporary directory
# against the installed packages, as a plugin outside the repository sees them.
typecheck: $(STAMP)
	$(BIN)/python scripts/typecheck.py

test: lint
	$(BIN)/python -m pytest tests

unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit

sample-config: $(STAMP)
	$(BIN)/oslo-config-generator --config-file etc/oslo-config-generator/netservice.conf

# The default rules of the core and every plugin; a test fails when stale.
sample-policy: $(STAMP)
	$(BIN)/oslopolicy-sample-generator --config-file etc/oslo-policy-generator/netservice.conf

# The API description for the plugins etc/nova-network.conf lists; a test fails when stale.
openapi: $(STAMP)
	$(BIN)/netservice-manage --config-file etc/netservice-dev.conf api openapi > docs/openapi.json

# Stops what `make run` left running (netservice-api, its dnsmasq processes)
# first, and keeps everything when something cannot be stopped.
clean:
	$(PYTHON) scripts/stop-leftovers.py . state
	rm -rf $(VENV) state .pytest_cache .mypy_cache .ruff_cache
