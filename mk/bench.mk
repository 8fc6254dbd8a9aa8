# make bench: the API under load (gunicorn + wrk) against its own SQL sent straight to
# PostgreSQL (pgbench), on a database of its own. See the README's Performance section.
#   make bench                                  S, M, L and XL tenants, 5 s a run, 4 connections
#   make bench SIZES=S=500,M=10000 DURATION=10 CONNECTIONS=8 SERVER=gthread:2x4
#   make bench COMPARE_SERVERS=sync:2,gthread:2x4   also measure other worker setups first
# Options: SIZES, DURATION, CONNECTIONS, SERVER, COMPARE_SERVERS, SEED, BENCH_DB, ENDPOINTS,
# ISOLATION=0, LABEL; BENCH_DATABASE_URL picks the server and role (else DATABASE_URL's, else a
# crm_bench role on the local cluster, created when missing).
.PHONY: bench bench-install

bench-install: $(VENV)/.installed-bench

$(VENV)/.installed-bench: $(VENV)/.installed requirements-bench.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	@touch $@

bench: bench-install
	SIZES="$(SIZES)" DURATION="$(DURATION)" CONNECTIONS="$(CONNECTIONS)" SERVER="$(SERVER)" \
	COMPARE_SERVERS="$(COMPARE_SERVERS)" SEED="$(SEED)" BENCH_DB="$(BENCH_DB)" \
	ENDPOINTS="$(ENDPOINTS)" ISOLATION="$(ISOLATION)" LABEL="$(LABEL)" \
	$(BIN)/python -m bench.run
