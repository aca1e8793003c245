#!/usr/bin/env bash
# Trains models/ner/ccks-bilstm-v1 from the corpora in ../shared/data.
# Features come from Go (services/extract/cmd/features), the same code that
# serves the model. Intermediate files (corpus-derived) go to $WORK, outside
# the repository: corpus text is never committed.
#
#   PY=/work/venv-ner/bin/python bash models/ner/train/run.sh [train.py flags]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
DATA=${DATA:-"$ROOT/../shared/data"}
WORK=${WORK:-"$ROOT/../ner-data"}
OUT=${OUT:-"$ROOT/models/ner/ccks-bilstm-v1"}
PY=${PY:-python3}
mkdir -p "$WORK" "$OUT"
cd "$ROOT"
go build -o "$WORK/features" ./services/extract/cmd/features
F="$WORK/features"
# CMeEE: only its dev split (5,000) exists here; a fixed-seed 4,000/1,000
# split gives its "train" part (vocabulary only, this version).
"$F" split -n 4000 -seed 1 "$DATA/cmeee/dev.jsonl" "$WORK/cmeee-train.jsonl" "$WORK/cmeee-test.jsonl"
"$F" vocab -min-freq 2 -o "$OUT/vocab.txt" "$DATA/ccks2019-ner/train.jsonl" "$WORK/cmeee-train.jsonl"
for s in train dev test; do
  "$F" export -vocab "$OUT/vocab.txt" -labels-out "$OUT/labels.json" \
    < "$DATA/ccks2019-ner/$s.jsonl" > "$WORK/ccks-$s.features.jsonl"
done
nice -n 19 "$PY" models/ner/train/train.py --train "$WORK/ccks-train.features.jsonl" \
  --dev "$WORK/ccks-dev.features.jsonl" --out "$OUT" \
  --reference-texts models/ner/train/reference_texts.jsonl --repo "$ROOT" "$@"
