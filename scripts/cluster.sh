#!/usr/bin/env bash
# `npm run cluster`: installs what a fresh clone lacks (npm packages, the Temporal CLI, and the
# Temporal server built from source: 10-18 minutes on 2 cores, once), then starts the whole system
# on a multi-service Temporal cluster (scripts/cluster.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-tools.sh
nice -n 10 bash scripts/install-temporal-server.sh
exec node --import tsx scripts/cluster.ts
