"""Train the CHIP-CDN cross-encoder: a small character transformer that reads
a diagnosis text and one candidate dictionary name together
("[CLS] text [SEP] name [SEP]") and scores whether the name is in the text's
gold set. Trained from scratch on CHIP-CDN train only.

Input: a dump from models/icd10/crossenc/dump (candidates of every train
record with the re-ranker's probabilities; records of the hold-out fold
scored by a re-ranker trained without them). The dump holds corpus text and
lives outside the repository.

    nice -n 19 /work/venv-ner/bin/python models/icd10/crossenc/train.py \
        --dump /work/cdn4-data/fold5.jsonl --out /work/cdn4-data/ce5

writes OUT/held.jsonl (cross-encoder scores of the hold-out's top-K
candidates), OUT/sweep.txt (blend weight x threshold sweep on the hold-out),
OUT/crossenc.onnx and OUT/vocab.txt. With --all (a dump without a hold-out)
it trains on every record and only exports.
"""

import argparse
import json
import math
import os
import random
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, UNK, CLS, SEP = 0, 1, 2, 3
SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]
MAX_TEXT, MAX_NAME = 32, 24


def fold_rune(c):
    """services/code/fold.go foldRune."""
    r = ord(c)
    if 0xFF01 <= r <= 0xFF5E:
        r -= 0xFEE0
    elif r == 0x3000:
        r = 0x20
    elif c in "【〔":
        r = ord("[")
    elif c in "】〕":
        r = ord("]")
    if r < 128:
        if ord("A") <= r <= ord("Z"):
            r += 32
        return chr(r)
    return {"Ⅰ": "ⅰ", "Ⅱ": "ⅱ", "Ⅲ": "ⅲ", "Ⅳ": "ⅳ"}.get(chr(r), chr(r))


def fold(s):
    """services/code/fold.go fold: folded runes without spaces."""
    return "".join(x for x in (fold_rune(c) for c in s) if x not in " \t\u00a0")


def encode(vocab, text, name):
    t = [vocab.get(c, UNK) for c in fold(text)][:MAX_TEXT]
    n = [vocab.get(c, UNK) for c in fold(name)][:MAX_NAME]
    ids = [CLS] + t + [SEP] + n + [SEP]
    seg = [0] * (len(t) + 2) + [1] * (len(n) + 1)
    # Match flags: 1 for a text character that occurs in the name, 2 for a
    # name character that occurs in the text (0 otherwise).
    ts, ns = set(t), set(n)
    match = [0] + [1 if c in ns else 0 for c in t] + [0] + [2 if c in ts else 0 for c in n] + [0]
    return ids, seg, match


class Block(nn.Module):
    def __init__(self, d, h, ff, drop):
        super().__init__()
        self.h = h
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.o = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.ff = nn.Sequential(nn.Linear(d, ff), nn.GELU(), nn.Linear(ff, d))
        self.drop = nn.Dropout(drop)

    def forward(self, x, bias):
        b, l, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(b, l, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d // self.h) + bias, dim=-1)
        z = (a @ v).transpose(1, 2).reshape(b, l, d)
        x = x + self.drop(self.o(z))
        return x + self.drop(self.ff(self.ln2(x)))


class CrossEncoder(nn.Module):
    def __init__(self, vocab, d=128, layers=2, heads=4, ff=256, maxlen=64, drop=0.1):
        super().__init__()
        self.tok = nn.Embedding(vocab, d, padding_idx=PAD)
        self.pos = nn.Embedding(maxlen, d)
        self.seg = nn.Embedding(2, d)
        self.match = nn.Embedding(3, d)
        self.blocks = nn.ModuleList(Block(d, heads, ff, drop) for _ in range(layers))
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, 1)
        self.drop = nn.Dropout(drop)

    def forward(self, ids, seg, match):
        l = ids.shape[1]
        pos = torch.arange(l, device=ids.device).unsqueeze(0)
        x = self.drop(self.tok(ids) + self.pos(pos) + self.seg(seg) + self.match(match))
        bias = (ids == PAD).to(x.dtype).unsqueeze(1).unsqueeze(2) * -1e4
        for blk in self.blocks:
            x = blk(x, bias)
        return self.head(self.ln(x[:, 0])).squeeze(-1)


def batches(items, bs):
    for i in range(0, len(items), bs):
        chunk = items[i : i + bs]
        l = max(len(x[0]) for x in chunk)
        ids = torch.tensor([x[0] + [PAD] * (l - len(x[0])) for x in chunk])
        seg = torch.tensor([x[1] + [0] * (l - len(x[1])) for x in chunk])
        match = torch.tensor([x[2] + [0] * (l - len(x[2])) for x in chunk])
        y = torch.tensor([x[3] for x in chunk], dtype=torch.float32)
        yield ids, seg, match, y


def build_vocab(rows, dict_path):
    cnt = {}
    for line in open(dict_path, encoding="utf-8"):
        parts = line.rstrip("\n").split("\t")
        if len(parts) > 1:
            for c in fold(parts[1]):
                cnt[c] = cnt.get(c, 0) + 2
    for r in rows:
        for c in fold(r["text"]):
            cnt[c] = cnt.get(c, 0) + 1
    chars = sorted(c for c, n in cnt.items() if n >= 2)
    return SPECIAL + chars


def pairs_of(row, vocab, topk):
    gold = set(row["gold"])
    cands = row["cands"][:topk]
    return [encode(vocab, row["text"], c["n"]) + (1.0 if c["n"] in gold else 0.0,) for c in cands]


def decide(ranked, th, top):
    keep = [n for n, p in ranked if p >= th]
    if not keep and ranked and ranked[0][1] >= top:
        keep = [ranked[0][0]]
    return keep


def f1_of(recs, th, top):
    tp = pred = gold = 0
    for exact, ranked, g in recs:
        names = set([exact] if exact else decide(ranked, th, top))
        gs = set(g)
        tp += len(names & gs)
        pred += len(names)
        gold += len(gs)
    p = tp / pred if pred else 0
    r = tp / gold if gold else 0
    return (2 * p * r / (p + r) if p + r else 0), p, r


def sweep(recs):
    """The re-ranker trainer's grid (ChooseThresholds)."""
    best = (0, 0, 0, 0, 0)
    th = 0.10
    while th <= 0.901:
        top = 0.0
        while top <= th + 1e-9:
            f, p, r = f1_of(recs, th, top)
            if f > best[0]:
                best = (f, p, r, round(th, 4), round(top, 4))
            top += 0.05
        th += 0.025
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dump", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--dict", default="models/icd10/icd10_v601.tsv")
    ap.add_argument("--all", action="store_true", help="train on every record (no hold-out), export only")
    ap.add_argument("--topk", type=int, default=16, help="candidates per record (best re-ranker scores first)")
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--minutes", type=float, default=15, help="stop training after this long")
    ap.add_argument("--d", type=int, default=128)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--ff", type=int, default=256)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--bs", type=int, default=64)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    random.seed(a.seed)
    os.makedirs(a.out, exist_ok=True)
    rows = [json.loads(l) for l in open(a.dump, encoding="utf-8")]
    fit = [r for r in rows if a.all or not r["held"]]
    held = [r for r in rows if not a.all and r["held"]]
    vocab_list = build_vocab(fit, a.dict)
    vocab = {c: i for i, c in enumerate(vocab_list)}
    with open(os.path.join(a.out, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(vocab_list) + "\n")
    train = [p for r in fit if not r["exact"] for p in pairs_of(r, vocab, a.topk)]
    npos = sum(p[3] for p in train)
    print(f"vocab={len(vocab_list)} fit_records={len(fit)} pairs={len(train)} positives={int(npos)} held={len(held)}", flush=True)
    model = CrossEncoder(len(vocab_list), a.d, a.layers, a.heads, a.ff, maxlen=MAX_TEXT + MAX_NAME + 3)
    print("params", sum(p.numel() for p in model.parameters()), flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=0.01)
    steps = a.epochs * math.ceil(len(train) / a.bs)
    warm = max(1, steps // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / (steps - warm))))
    t0 = time.time()
    stop = False
    for ep in range(a.epochs):
        model.train()
        random.shuffle(train)
        tot = n = 0
        for ids, seg, match, y in batches(train, a.bs):
            loss = F.binary_cross_entropy_with_logits(model(ids, seg, match), y)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            tot += loss.item() * len(y)
            n += len(y)
            if n % (200 * a.bs) == 0:
                print(f"  {n} pairs loss={tot / n:.4f} {time.time() - t0:.0f}s", flush=True)
            if time.time() - t0 > a.minutes * 60:
                stop = True
                break
        print(f"epoch {ep + 1} loss={tot / n:.4f} pairs={n} elapsed={time.time() - t0:.0f}s", flush=True)
        if stop:
            print("time limit reached", flush=True)
            break
    model.eval()
    if held:
        score_held(model, held, vocab, a)
    export(model, a.out)
    write_parity(model, vocab, a.out)


@torch.no_grad()
def score_held(model, held, vocab, a):
    out = open(os.path.join(a.out, "held.jsonl"), "w", encoding="utf-8")
    scored = []
    for r in held:
        ce = []
        if not r["exact"] and r["cands"]:
            items = pairs_of(r, vocab, a.topk)
            ids, seg, match, _ = next(batches(items, len(items)))
            ce = torch.sigmoid(model(ids, seg, match)).tolist()
        scored.append((r, ce))
        out.write(json.dumps({"i": r["i"], "ce": ce}) + "\n")
    out.close()
    lines = []
    for w in [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0]:
        recs = []
        for r, ce in scored:
            ranked = [(c["n"], (1 - w) * c["p"] + w * ce[i]) if i < len(ce) else (c["n"], c["p"]) for i, c in enumerate(r["cands"])]
            ranked.sort(key=lambda x: -x[1])
            recs.append((r["exact"], ranked, r["gold"]))
        f, p, rc, th, top = sweep(recs)
        f35, p35, r35 = f1_of(recs, 0.35, 0.35)
        lines.append(f"w={w:.1f} best F1={f:.4f} P={p:.4f} R={rc:.4f} threshold={th} top={top} | at 0.35/0.35 F1={f35:.4f}")
        print(lines[-1], flush=True)
    open(os.path.join(a.out, "sweep.txt"), "w").write("\n".join(lines) + "\n")


# Hand-written pairs (no corpus text) whose probabilities the Go side must
# reproduce (services/code crossenc_test.go reads parity.json).
PARITY = [
    ("2型糖尿病性视网膜病变", "2型糖尿病性视网膜病变"),
    ("左侧乳腺癌术后", "乳腺恶性肿瘤"),
    ("高血压3级极高危", "高血压"),
    ("左眼ＰＯＡＧ", "原发性开角型青光眼"),
    ("早孕", "妊娠状态"),
    ("头痛 头晕", "头晕"),
    ("Ｔ２ＤＭ伴周围神经病变，非常非常非常非常非常非常长的一段描述文字超过三十二个字符的截断测试", "2型糖尿病性周围神经病"),
]


@torch.no_grad()
def write_parity(model, vocab, out):
    model.eval()
    rows = []
    for text, name in PARITY:
        ids, seg, match, _ = next(batches([encode(vocab, text, name) + (0.0,)], 1))
        p = torch.sigmoid(model(ids, seg, match)).item()
        rows.append({"text": text, "name": name, "ids": ids[0].tolist(), "match": match[0].tolist(), "p": p})
    with open(os.path.join(out, "parity.json"), "w", encoding="utf-8") as f:
        json.dump(rows, f, ensure_ascii=False, indent=0)


def export(model, out):
    ids = torch.tensor([[CLS, 5, 6, SEP, 7, 8, SEP]] * 2)
    seg = torch.tensor([[0, 0, 0, 0, 1, 1, 1]] * 2)
    match = torch.tensor([[0, 1, 0, 0, 2, 0, 0]] * 2)
    path = os.path.join(out, "crossenc.onnx")
    dyn = {0: "batch", 1: "len"}
    torch.onnx.export(
        model, (ids, seg, match), path, input_names=["ids", "seg", "match"], output_names=["logit"],
        dynamic_axes={"ids": dyn, "seg": dyn, "match": dyn, "logit": {0: "batch"}},
        opset_version=17, dynamo=False,
    )
    import onnx

    m = onnx.load(path)
    onnx.save(m, path, save_as_external_data=False)
    torch.save(model.state_dict(), os.path.join(out, "model.pt"))
    print("exported", path, os.path.getsize(path), flush=True)


if __name__ == "__main__":
    main()
