"""Sweep the cross-encoder blend on a hold-out fold: how many of the
re-ranker's best candidates are re-scored (K), the blend weight and the
emission thresholds (the re-ranker trainer's grid).

    /work/venv-ner/bin/python models/icd10/crossenc/sweep.py \
        --dump /work/cdn4-data/fold5.jsonl --held /work/cdn4-data/ce5d/held.jsonl

--fixed K,W,TH,TOP scores one setting only (for checking a setting chosen on
another fold).
"""

import argparse
import json

from train import f1_of, sweep


def recs_for(rows, ce, k, w):
    out = []
    for r in rows:
        c = ce.get(r["i"], [])
        ranked = [(x["n"], (1 - w) * x["p"] + w * c[i]) if i < min(k, len(c)) else (x["n"], x["p"]) for i, x in enumerate(r["cands"])]
        ranked.sort(key=lambda x: -x[1])
        out.append((r["exact"], ranked, r["gold"]))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dump", required=True)
    ap.add_argument("--held", required=True)
    ap.add_argument("--fixed", default="")
    a = ap.parse_args()
    rows = [r for r in (json.loads(l) for l in open(a.dump, encoding="utf-8")) if r["held"]]
    ce = {x["i"]: x["ce"] for x in (json.loads(l) for l in open(a.held))}
    if a.fixed:
        k, w, th, top = a.fixed.split(",")
        f, p, r = f1_of(recs_for(rows, ce, int(k), float(w)), float(th), float(top))
        print(f"K={k} w={w} threshold={th} top={top}: F1={f:.4f} P={p:.4f} R={r:.4f}")
        return
    f, p, r, th, top = sweep(recs_for(rows, ce, 0, 0))
    print(f"re-ranker alone: best F1={f:.4f} P={p:.4f} R={r:.4f} threshold={th} top={top}; at 0.35/0.35 F1={f1_of(recs_for(rows, ce, 0, 0), 0.35, 0.35)[0]:.4f}")
    for k in (4, 6, 8, 12, 16):
        for w in (0.1, 0.2, 0.3, 0.4, 0.5):
            f, p, r, th, top = sweep(recs_for(rows, ce, k, w))
            print(f"K={k} w={w} best F1={f:.4f} P={p:.4f} R={r:.4f} threshold={th} top={top}", flush=True)


if __name__ == "__main__":
    main()
