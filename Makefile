# Two entry points for a fresh Debian/Ubuntu machine: `make run` and `make test`.
# Each creates .venv when missing, installs the package and, when run as root,
# the Debian libraries Qt needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO_DB ?= demo/gocong-demo.db
STAMP  := $(VENV)/.installed
# Qt's own strings in Vietnamese, compiled from the catalogue kept in git (installer/translations.py).
QT_VI  := resources/i18n/qtbase_vi.qm

# Shared libraries the PySide6 wheels load (xcb platform plugin, EGL, fontconfig).
APT_PACKAGES := libegl1 libgl1 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0 \
	libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 \
	libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-xkb1 \
	poppler-utils python3-venv

# The PostgreSQL server the tests start on a private socket (tests/pg_server.py); the
# app itself needs none (psycopg's wheel carries the client library).
TEST_APT_PACKAGES := postgresql

.PHONY: run test system-deps test-deps venv bench bundle clean translations pg-demo pg-demo-stop

# $(call apt_install,PACKAGES,MESSAGE): the Debian packages missing, installed when root.
define apt_install
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		missing=""; for p in $(1); do \
			dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
		if [ -n "$$missing" ]; then \
			echo "$(2):$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
		fi; \
	fi
endef

system-deps:
	$(call apt_install,$(APT_PACKAGES),Cài gói hệ thống)

test-deps:
	$(call apt_install,$(TEST_APT_PACKAGES),Cài gói hệ thống cho kiểm thử)

$(STAMP): pyproject.toml
	$(MAKE) system-deps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

$(QT_VI): resources/i18n/qtbase_vi.ts installer/translations.py $(STAMP)
	$(BIN)/python installer/translations.py

translations: $(QT_VI)

venv: $(STAMP) $(QT_VI)

run: $(STAMP) $(QT_VI)
	@test -f $(DEMO_DB) || (mkdir -p $(dir $(DEMO_DB)) && $(BIN)/gocong-desktop demo --db $(DEMO_DB))
	$(BIN)/gocong-desktop gui --db $(DEMO_DB)

# The suite runs in one worker process per core, up to four (each worker builds the
# session's shared fixtures once: more workers than cores only repeat that work).
# A test module stays in one worker, so its module-scoped fixtures are built once.
TEST_WORKERS ?= $$(n=$$(nproc 2>/dev/null || echo 2); [ $$n -gt 4 ] && n=4; echo $$n)

test: $(STAMP) $(QT_VI) test-deps
	$(BIN)/lint-imports
	$(BIN)/ruff check gocong_desktop tests bench
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

# A local PostgreSQL server in .pg/ (127.0.0.1, port PG_DEMO_PORT or 54329) with an upper office set up on
# it, to try the upper office on a server: prints the command that opens the window (gocong_desktop/tools/pg_demo.py).
pg-demo: $(STAMP) $(QT_VI)
	$(call apt_install,$(TEST_APT_PACKAGES),Cài máy chủ PostgreSQL)
	$(BIN)/python -m gocong_desktop.tools.pg_demo start

pg-demo-stop: $(STAMP)
	$(BIN)/python -m gocong_desktop.tools.pg_demo stop

# The PyInstaller bundle in dist/gocong-desktop, smoke-tested (installer/smoke_test.py): about a
# minute. As root it also installs Debian's nsis, so the installer script is compiled against it.
BUILD_STAMP := $(VENV)/.installed-build

$(BUILD_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q -e '.[test,build]'
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null && ! command -v makensis >/dev/null; then \
		echo "Cài gói hệ thống: nsis"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nsis) \
			|| echo "nsis not installed: the installer script check will be skipped"; \
	fi
	touch $(BUILD_STAMP)

bundle: $(BUILD_STAMP) $(QT_VI)
	QT_QPA_PLATFORM=offscreen $(BIN)/python installer/smoke_test.py

bench: $(STAMP)
	$(BIN)/python bench/bench_demo_search.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/bench_gui.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/bench_pages.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/bench_first_visit.py
	$(BIN)/python bench/bench_minutes.py
	$(BIN)/python bench/bench_pledge_forms.py
	$(BIN)/python bench/bench_household_import.py
	$(BIN)/python bench/bench_sync.py
	$(BIN)/python bench/bench_encryption.py
	$(BIN)/python bench/bench_province.py 20
	$(BIN)/python bench/bench_province.py 20 --encrypted
	$(BIN)/python bench/bench_cli.py

clean:
	rm -rf $(VENV) demo build dist *.egg-info $(QT_VI)
