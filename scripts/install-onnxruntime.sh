#!/usr/bin/env bash
# Installs ONNX Runtime's Linux x64 shared library (1.30.0; it serves the
# 1.24 C API that github.com/yalue/onnxruntime_go v1.27 asks for, and fixes
# 1.24.1's single-threaded int8 LSTM kernels, which returned garbage on CPUs
# with AVX512-VNNI, e.g. Intel Xeon: services/extract TestReferenceEmissions)
# from the npm package
# onnxruntime-node, which ships it; `npm pack` fetches the package without
# running any of its scripts. Both the package and the library are checked
# against pinned sha256 sums. ONNX Runtime is MIT-licensed (Microsoft).
#
# Prints the library's path. An existing $ONNXRUNTIME_LIB, or an earlier
# install in $DEST, wins.
set -euo pipefail

VERSION=1.30.0
PKG_SHA256=6e3390d6b783e7be946fad629292799da28d0b42f84856e50d2c1b0383291e75
LIB_SHA256=ffb75a925ba05e47b235bb66e3e3911714a80b328a9c9425539feb204aa32a23
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
