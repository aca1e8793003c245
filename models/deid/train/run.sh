#!/usr/bin/env bash
# Trains the deid stage's PHI tagger (models/deid/phi-bilstm-v1): surrogate
# augmentation of the hand-written gold sets (augment.py), silver notes
# (phifeatures), features from the Go code that serves the model
# (services/extract/cmd/features, as for the NER models), the NER recipe's
# BiLSTM-CRF (models/ner/train/train.py),
# int8 quantisation (models/ner/train/quantize.py) and the manifest.
# Intermediate files go to $WORK, outside the repository.
#
#   python3 -m venv /work/venv-ner && /work/venv-ner/bin/pip install torch onnx onnxscript onnxruntime
#   PY=/work/venv-ner/bin/python bash models/deid/train/run.sh
#
# TRAIN: gold sets trained on; DEV: the model-selection set (early stopping
# on its chunk-level F1; never trained on); TEST: the sets that measure the
# shipped model, never trained or selected on (the script refuses them).
# COPIES: surrogate copies per note besides the original; NOISY: every
# NOISY-th copy is made OCR-like (spaces and line breaks between characters,
# sometimes full-width digits; 0: none). SYNTH: patients of
# `bingli synth` (seed 11) whose gold notes join once, unaugmented (0: none).
# SILVER: clinical corpus texts (CCKS 2019 train) labelled by the deid rules
# (phifeatures silver: dates and record numbers; names dropped), so the model
# sees far more clinical prose without identifiers (0: none). FINAL: the
# shipped directory (the float model stays in $WORK/NAME-float).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
DATA=${DATA:-"$ROOT/../shared/data"}
WORK=${WORK:-"$ROOT/../phi-data"}
NAME=${NAME:-phi-bilstm-v2}
FINAL=${FINAL:-"$ROOT/models/deid/$NAME"}
T="$ROOT/services/deid/testdata"
TRAIN=${TRAIN:-"handwritten heldout heldout2 heldout3 heldout4 heldout5 heldout6 heldout7 heldout8 dev2"}
DEV=${DEV:-heldout9}
TEST=${TEST:-"heldout10 heldout11"}
COPIES=${COPIES:-8}
NOISY=${NOISY:-4}
SEED=${SEED:-1}
SYNTH=${SYNTH:-60}
SILVER=${SILVER:-600}
PY=${PY:-python3}
# LABELS: the PHI types the tagger learns, in tag order. EMAIL and URL are
# left to the rules (exact patterns, recall 1.0 on every set): fewer tags
# keep the CRF fast.
LABELS=${LABELS:-NAME,ADDRESS,ORGANIZATION,DATE,DATE_OF_BIRTH,AGE,PHONE,ID_NUMBER,RECORD_NUMBER,OTHER_ID}
cd "$ROOT"
for t in $TEST; do
  case " $TRAIN $DEV " in *" $t "*) echo "$t is a test set: never train or select on it" >&2; exit 1;; esac
done
FLOAT="$WORK/$NAME-float"
mkdir -p "$WORK" "$FLOAT" "$FINAL"
go build -o "$WORK/phifeatures" ./models/deid/train/phifeatures
go build -o "$WORK/features" ./services/extract/cmd/features
F="$WORK/features"
files=()
for s in $TRAIN; do files+=("$T/$s.jsonl"); done
"$PY" models/deid/train/augment.py --copies "$COPIES" --noisy-every "$NOISY" --seed "$SEED" --gazetteers "$DATA/gazetteers" "${files[@]}" > "$WORK/$NAME.train.jsonl"
if [ "$SYNTH" -gt 0 ]; then
  go run ./services/bingli synth --patients "$SYNTH" --seed 11 --out "$WORK/synth$SYNTH" > /dev/null
  cat "$WORK/synth$SYNTH/gold.jsonl" >> "$WORK/$NAME.train.jsonl"
fi
if [ "$SILVER" -gt 0 ]; then
  "$WORK/phifeatures" silver -n "$SILVER" < "$DATA/ccks2019-ner/train.jsonl" >> "$WORK/$NAME.train.jsonl"
fi
"$F" vocab -min-freq 2 -o "$FLOAT/vocab.txt" "$WORK/$NAME.train.jsonl"
"$F" export -vocab "$FLOAT/vocab.txt" -labels "$LABELS" -labels-out "$FLOAT/labels.json" < "$WORK/$NAME.train.jsonl" > "$WORK/$NAME.features.jsonl"
"$F" export -vocab "$FLOAT/vocab.txt" -labels "$LABELS" < "$T/$DEV.jsonl" > "$WORK/$NAME.dev.features.jsonl"
nice -n 19 "$PY" models/ner/train/train.py --train "$WORK/$NAME.features.jsonl" --dev "$WORK/$NAME.dev.features.jsonl" \
  --out "$FLOAT" --reference-texts models/deid/train/reference_texts.jsonl --repo "$ROOT" \
  --emb 64 --tag-emb 8 --hidden 64 --threads 2 --epochs 8 --patience 3 --max-minutes 80 "$@"
"$PY" models/ner/train/quantize.py "$FLOAT" "$FINAL"
cp "$FLOAT/training.json" "$FINAL/training.json"
"$F" manifest -name "$NAME" -batch-size 1 "$FINAL"
