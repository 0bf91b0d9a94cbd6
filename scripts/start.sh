#!/usr/bin/env bash
# `npm start`: installs what a fresh machine lacks, then starts the whole system (scripts/start.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-tools.sh
exec node_modules/.bin/tsx scripts/start.ts
