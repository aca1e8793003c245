#!/usr/bin/env bash
# Trains an extract-stage NER model (models/ner/<name>) from the corpora in
# ../shared/data. Features come from Go (services/extract/cmd/features), the
# same code that serves the model. Intermediate files (corpus-derived) go to
# $WORK, outside the repository: corpus text is never committed.
#
#   PY=/work/venv-ner/bin/python OUT=models/ner/ccks-bilstm-v2 \
#     SPLITS="train" DEV=dev bash models/ner/train/run.sh [train.py flags]
#
# SPLITS: the CCKS 2019 splits trained on ("train" to choose on dev, "train
# dev" for a shipped model); DEV: the model-selection split, "" for none
# (then train.py trains exactly --epochs); BIGRAMS=1 adds the
# character-bigram input (not in the shipped models). The character and bigram
# vocabularies come from the training texts only (min count 2), so every id
# has a trained embedding and rarer ones share <unk>. LAC=1 starts the
# character embeddings from Baidu LAC's (lac_embeddings.py; needs
# scripts/install-lac.sh) and extends the vocabulary with the characters of
# the training texts, the medical lexicons, the ICD-10 dictionary and the
# unlabelled CMeEE and CHIP-CDN texts that LAC embeds (character lists only).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
DATA=${DATA:-"$ROOT/../shared/data"}
WORK=${WORK:-"$ROOT/../ner-data"}
OUT=${OUT:-"$ROOT/models/ner/ccks-bilstm-v2"}
SPLITS=${SPLITS:-train}
DEV=${DEV-dev}
BIGRAMS=${BIGRAMS:-0}
LAC=${LAC:-0}
PY=${PY:-python3}
cd "$ROOT"
mkdir -p "$WORK" "$OUT"
go build -o "$WORK/features" ./services/extract/cmd/features
F="$WORK/features"
TAG=$(echo "$SPLITS" | tr ' ' '+')
FIT="$WORK/ccks-$TAG.jsonl"
: > "$FIT"
for s in $SPLITS; do cat "$DATA/ccks2019-ner/$s.jsonl" >> "$FIT"; done
EMB=()
if [ "$LAC" = 1 ]; then
  LACDIR=$(bash scripts/install-lac.sh)
  "$PY" models/ner/train/lac_embeddings.py chars --lac "$LACDIR" -o "$WORK/extra-chars.$TAG.txt" "$FIT" \
    models/lexicons/thuocl_medical.txt models/lexicons/ophthalmology.txt models/icd10/icd10_v601.tsv \
    "$DATA/cmeee/dev.jsonl" "$DATA/chip-cdn/train.jsonl" "$DATA/chip-cdn/test_unlabeled.jsonl"
  "$F" vocab -min-freq 2 -extra "$WORK/extra-chars.$TAG.txt" -o "$OUT/vocab.txt" "$FIT"
  "$PY" models/ner/train/lac_embeddings.py matrix --lac "$LACDIR" --vocab "$OUT/vocab.txt" -o "$WORK/lac-emb.$TAG.npy"
  EMB=(--init-emb "$WORK/lac-emb.$TAG.npy")
else
  "$F" vocab -min-freq 2 -o "$OUT/vocab.txt" "$FIT"
fi
BG=()
if [ "$BIGRAMS" = 1 ]; then
  "$F" bigrams -min-freq 2 -o "$OUT/bigrams.txt" "$FIT"
  BG=(-bigrams "$OUT/bigrams.txt")
else
  rm -f "$OUT/bigrams.txt"
fi
export_features() { # corpus.jsonl out.features.jsonl
  "$F" export -vocab "$OUT/vocab.txt" "${BG[@]}" -labels-out "$OUT/labels.json" < "$1" > "$2"
}
export_features "$FIT" "$WORK/$TAG.features.jsonl"
DEVARGS=()
if [ -n "$DEV" ]; then
  export_features "$DATA/ccks2019-ner/$DEV.jsonl" "$WORK/$TAG.dev-$DEV.features.jsonl"
  DEVARGS=(--dev "$WORK/$TAG.dev-$DEV.features.jsonl")
fi
nice -n 10 "$PY" models/ner/train/train.py --train "$WORK/$TAG.features.jsonl" "${DEVARGS[@]}" --out "$OUT" \
  --reference-texts models/ner/train/reference_texts.jsonl --repo "$ROOT" "${EMB[@]}" "$@"
"$F" manifest -name "$(basename "$OUT")" "$OUT"
