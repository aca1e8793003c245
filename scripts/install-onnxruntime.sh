#!/usr/bin/env bash
# Installs ONNX Runtime's Linux x64 shared library (1.24.1, the C API that
# github.com/yalue/onnxruntime_go v1.27 expects) from the npm package
# onnxruntime-node, which ships it; `npm pack` fetches the package without
# running any of its scripts. Both the package and the library are checked
# against pinned sha256 sums. ONNX Runtime is MIT-licensed (Microsoft).
#
# Prints the library's path. An existing $ONNXRUNTIME_LIB, or an earlier
# install in $DEST, wins.
set -euo pipefail

VERSION=1.24.1
PKG_SHA256=57181cf6e6e711b155c5b942d591fd63ded0b5de5c4922d51fd994e7f6ac2772
LIB_SHA256=53ef1ac028dd1b05554b8da28d9159eb3876f99868193d2aaa6e67f0243c23d4
DEST=${DEST:-"$(cd "$(dirname "$0")/.." && pwd)/.cache/onnxruntime"}
LIB="$DEST/libonnxruntime.so.$VERSION"

if [[ -n "${ONNXRUNTIME_LIB:-}" ]]; then
  [[ -f "$ONNXRUNTIME_LIB" ]] || { echo "ONNXRUNTIME_LIB=$ONNXRUNTIME_LIB does not exist" >&2; exit 1; }
  echo "$ONNXRUNTIME_LIB"; exit 0
fi
if [[ -f "$LIB" ]] && echo "$LIB_SHA256  $LIB" | sha256sum -c --status; then
  echo "$LIB"; exit 0
fi
[[ "$(uname -s)/$(uname -m)" == "Linux/x86_64" ]] || { echo "only Linux x86_64 is packaged here; set ONNXRUNTIME_LIB" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm is needed to fetch onnxruntime-node@$VERSION (or set ONNXRUNTIME_LIB)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "onnxruntime-node@$VERSION" >/dev/null)
tgz="$tmp/onnxruntime-node-$VERSION.tgz"
echo "$PKG_SHA256  $tgz" | sha256sum -c --status || { echo "onnxruntime-node-$VERSION.tgz: checksum mismatch" >&2; exit 1; }
tar -xzf "$tgz" -C "$tmp" package/bin/napi-v6/linux/x64/libonnxruntime.so.1
mkdir -p "$DEST"
install -m 0644 "$tmp/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" "$LIB.tmp"
echo "$LIB_SHA256  $LIB.tmp" | sha256sum -c --status || { rm -f "$LIB.tmp"; echo "libonnxruntime.so: checksum mismatch" >&2; exit 1; }
mv "$LIB.tmp" "$LIB"
echo "$LIB"
