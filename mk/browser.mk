# The browser test: Playwright drives Debian's chromium (never a downloaded browser) against
# gunicorn with production settings. Screenshots land in artifacts/screenshots/.
CHROMIUM ?= /usr/bin/chromium

.PHONY: browser-test

$(VENV)/.browser-installed: requirements-browser.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-browser.txt
	@touch $@

browser-test: install $(VENV)/.browser-installed
	@test -x $(CHROMIUM) || { echo "$(CHROMIUM) is missing: apt-get install chromium" >&2; exit 1; }
	CRM_BROWSER_TESTS=1 CRM_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest tests/browser -v $(PYTEST_ARGS)
	@echo "screenshots: artifacts/screenshots/"
