#!/usr/bin/env bash
# A small Python venv with pyarrow (a standard Parquet reader) for the tests
# that read the OMOP export back. Prints the interpreter's path.
set -euo pipefail
VENV=${VENV:-"$(cd "$(dirname "$0")/.." && pwd)/.cache/venv"}
if ! "$VENV/bin/python" -c "import pyarrow" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check pyarrow==26.0.1
fi
echo "$VENV/bin/python"
