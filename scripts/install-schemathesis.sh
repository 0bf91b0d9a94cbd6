#!/usr/bin/env bash
# Installs schemathesis (the OpenAPI conformance tester of test/integration/schemathesis.test.ts)
# from PyPI at a pinned version into its own virtual environment, tools/schemathesis/, with a
# launcher at tools/bin/schemathesis. Does nothing when that version is already there; skipped when
# HPC_SKIP_SCHEMATHESIS=1 (the test then fails with a message saying how to install it).
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
[[ "${HPC_SKIP_SCHEMATHESIS:-}" == 1 ]] && exit 0
mkdir -p tools/bin
if [[ -x tools/bin/schemathesis ]] && grep -qx "$SCHEMATHESIS_VERSION" tools/bin/.schemathesis.version 2>/dev/null; then
  exit 0
fi
echo "[install] schemathesis==$SCHEMATHESIS_VERSION -> tools/schemathesis" >&2
rm -rf tools/schemathesis
python3 -m venv tools/schemathesis
tools/schemathesis/bin/python -m pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" >&2
ln -sf ../schemathesis/bin/schemathesis tools/bin/schemathesis
echo "$SCHEMATHESIS_VERSION" > tools/bin/.schemathesis.version
