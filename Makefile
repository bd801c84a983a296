# The two commands: `make run` and `make test` (see README.md).
# Everything the project needs is installed from here: the Python environment,
# Debian's Chromium for the browser tests, Java 17, Maven and R when missing, and
# the Neo4j server jars from Maven Central (on first start).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 5000
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# The app as make run and docker-compose serve it.
GUNICORN_APP := graphsvc.web.app:create_app()

# The Gephi toolkit, for the tests that read our GraphML/GEXF exports the way Gephi does
# (fetched for make test only).
GEPHI_JAR := var/gephi-lib/gephi-toolkit-0.10.1-all.jar

# The session-signing secret of make run: made once, readable by this user only, so that
# every gunicorn worker signs alike and sign-ins survive a restart.
SECRET_FILE := var/secret_key

# The throwaway Neo4j of the test run: tests/conftest.py starts and stops it; the
# Makefile stops it again should pytest itself have been killed.
TEST_NEO4J_HOME := var/neo4j-test/make

.PHONY: run dev test check setup system-deps jars seed bench lint format clean stop

run: setup jars $(SECRET_FILE)
	$(BIN)/graphsvc neo4j start --if-stopped
	$(BIN)/graphsvc seed
	$(BIN)/graphsvc warm
	@echo ""
	@echo "  graphsvc: http://$(HOST):$(PORT)/   API: http://$(HOST):$(PORT)/api/v1/docs"
	@echo "  Without a key you browse as 'viewer' (aggregates, pseudonymised maps)."
	@echo "  Make your first key (shown once) and sign in with it at /signin:"
	@echo "      $(BIN)/graphsvc keys create --role admin --name \"your name\""
	@echo "  Neo4j keeps running after you stop the app: $(BIN)/graphsvc neo4j stop"
	@echo ""
	GRAPHSVC_ANONYMOUS_ROLE=$${GRAPHSVC_ANONYMOUS_ROLE-viewer} \
	  GRAPHSVC_SECRET_KEY=$${GRAPHSVC_SECRET_KEY:-$$(cat $(SECRET_FILE))} \
	  $(BIN)/gunicorn --workers 2 --threads 4 --bind $(HOST):$(PORT) \
	  "$(GUNICORN_APP)"

$(SECRET_FILE):
	@mkdir -p var && chmod 700 var
	@umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(48))' > $@

# The Flask development server with reload, for working on the code.
dev: setup jars
	$(BIN)/graphsvc neo4j start --if-stopped
	GRAPHSVC_ANONYMOUS_ROLE=$${GRAPHSVC_ANONYMOUS_ROLE-viewer} \
	  $(BIN)/graphsvc run --debug --reload --host $(HOST) --port $(PORT)

test: setup jars $(GEPHI_JAR) check
	@rc=0; $(BIN)/python -m pytest --neo4j-home=$(TEST_NEO4J_HOME) || rc=$$?; \
	  GRAPHSVC_NEO4J_HOME=$(TEST_NEO4J_HOME) $(BIN)/graphsvc neo4j stop >/dev/null 2>&1 || true; \
	  exit $$rc

setup: system-deps $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Debian packages: Chromium for the browser tests; Java 17 (with javac, for the Gephi reader
# test) and Maven for Neo4j; R with igraph and sna for the R reader test.
R_HAS = Rscript -e 'quit(status = !requireNamespace("$(1)", quietly = TRUE))' >/dev/null 2>&1
system-deps:
	@missing=""; \
	  command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	  command -v javac >/dev/null 2>&1 || missing="$$missing openjdk-17-jdk-headless"; \
	  command -v mvn >/dev/null 2>&1 || missing="$$missing maven"; \
	  $(call R_HAS,igraph) || missing="$$missing r-cran-igraph"; \
	  $(call R_HAS,sna) || missing="$$missing r-cran-sna"; \
	  if [ -n "$$missing" ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q $$missing; \
	  fi

jars: $(STAMP)
	$(BIN)/graphsvc neo4j fetch

$(GEPHI_JAR): tests/readers/gephi/pom.xml
	mvn -q -B -f tests/readers/gephi/pom.xml dependency:copy-dependencies \
	  -DoutputDirectory=$(CURDIR)/var/gephi-lib
	@test -f $@ && touch $@

seed: setup
	$(BIN)/graphsvc seed

stop:
	-$(BIN)/graphsvc neo4j stop

bench: setup jars
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# Lint, format, types and the import layers: part of make test, before pytest.
check: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy graphsvc visualize
	$(BIN)/lint-imports

lint: check

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) build *.egg-info
