#!/usr/bin/env bash
# Benchmark smoke: the whole harness (database, seeding, SQL capture, gunicorn, wrk, pgbench,
# report) at tiny sizes for a couple of seconds a run, so that it cannot rot. Its numbers mean
# nothing. Runs after the PostgreSQL leg: DATABASE_URL names the CI server and role, and the
# bench uses a database of its own name.
set -euo pipefail
cd "$(dirname "$0")/../.."
make bench SIZES=S=30,XL=120 DURATION=2 CONNECTIONS=2 BENCH_DB=crm_bench_smoke LABEL=ci-smoke
test -s bench/results/latest.json
# Every request of the smoke answered 2xx.
.venv/bin/python - <<'PY'
import json, sys
results = json.load(open("bench/results/latest.json"))
bad = {(size, name): run["api"]["non_2xx"] + run["api"]["socket_errors"]
       for size, runs in results["runs"].items() for name, run in runs.items()}
bad = {key: value for key, value in bad.items() if value}
print("bench smoke:", sum(len(r) for r in results["runs"].values()), "endpoint runs,", "non-2xx:", bad or 0)
sys.exit(1 if bad else 0)
PY
