#!/usr/bin/env bash
# The browser test (make browser-test): the admin and /api/docs in chromium, under gunicorn
# with production settings, against the PostgreSQL the CI started (DATABASE_URL).
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ ! -x /usr/bin/chromium ]; then
  echo "-- installing chromium from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
/usr/bin/chromium --version

make browser-test
ls -l artifacts/screenshots/
