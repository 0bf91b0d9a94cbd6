#!/usr/bin/env bash
# Builds the Temporal server (multi-service binary) and its SQL schema tool from the Go module proxy
# into tools/bin, for `npm run cluster` (issue #13 §3). Skipped when both binaries are present at
# the pinned version. Building takes 10-18 minutes on 2 cores; run it niced:
#   nice -n 10 bash scripts/install-temporal-server.sh
# After it the Go module cache also holds the server module's schema/postgresql/v12 and
# config/development-postgres12.yaml, which scripts/cluster.ts reads.
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_SERVER_VERSION=${TEMPORAL_SERVER_VERSION:-v1.32.2}
GO_TOOLCHAIN=${GO_TOOLCHAIN:-go1.27.3}
BIN="$PWD/tools/bin"
mkdir -p "$BIN"

if [[ -x $BIN/temporal-server && -x $BIN/temporal-sql-tool ]] \
  && grep -qx "$TEMPORAL_SERVER_VERSION" "$BIN/.temporal-server.version" 2>/dev/null; then
  echo "[install] temporal-server $TEMPORAL_SERVER_VERSION already in tools/bin" >&2
  exit 0
fi
command -v go >/dev/null || { echo "[install] go is required to build the Temporal server" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "[install] building go.temporal.io/server $TEMPORAL_SERVER_VERSION with $GO_TOOLCHAIN (10-18 min on 2 cores)" >&2
# GOBIN into a temporary folder first: `go install` names both binaries after their package
# directory (server, sql), which are too generic for tools/bin.
GOTOOLCHAIN=$GO_TOOLCHAIN GOBIN="$tmp" go install "go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION"
GOTOOLCHAIN=$GO_TOOLCHAIN GOBIN="$tmp" go install "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION"
mv "$tmp/server" "$BIN/temporal-server"
mv "$tmp/sql" "$BIN/temporal-sql-tool"
echo "$TEMPORAL_SERVER_VERSION" > "$BIN/.temporal-server.version"
echo "[install] tools/bin/temporal-server and tools/bin/temporal-sql-tool ready" >&2
