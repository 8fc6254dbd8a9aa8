#!/usr/bin/env bash
# Schema-driven fuzzing against the app's own OpenAPI schema, in process, on the database of
# the leg before it (DATABASE_URL still names PostgreSQL). Bounded: fixed examples per
# operation, deterministic seed.
set -euo pipefail
cd "$(dirname "$0")/../.."
make fuzz
