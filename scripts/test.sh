#!/usr/bin/env bash
# `npm test`: every test — unit, workflow (time-skipping server) and integration (real PostgreSQL
# and the Temporal dev server, both started by test/global-setup.mjs) — after a type check.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-tools.sh
node_modules/.bin/tsc --noEmit -p tsconfig.json
node_modules/.bin/tsc --noEmit -p web/tsconfig.json
exec node_modules/.bin/jest --runInBand "$@"
