#!/usr/bin/env bash
# `npm start`: installs what a fresh machine lacks, then starts the whole system (scripts/start.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-tools.sh
# Node with tsx as a loader, not the tsx CLI, whose signal relay SIGKILLs a child slow to answer
# (scripts/start.ts explains).
exec node --import tsx scripts/start.ts
