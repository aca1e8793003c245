#!/usr/bin/env python3
"""Train the extract stage's char BiLSTM-CRF on features exported by Go.

Inputs are the JSONL that `go run ./services/extract/cmd/features export`
writes (one line per chunk: char_ids, seg_tags, lex_tags, labels), so the
model sees exactly the features serving computes. The emission network is
exported to ONNX (inputs char_ids/seg_tags/lex_tags int64 [batch, len], 0 =
padding; output emissions float32 [batch, len, num_tags]); the CRF
transitions go to transitions.json and are decoded in Go.

See run.sh for the full command and MODEL_CARD.md for the result.
"""
import argparse
import hashlib
import json
import math
import os
import random
import subprocess
import sys
import time

import torch
import torch.nn as nn

NUM_SEG = 6  # pad, B, M, E, S, space (services/extract/features.go)
NUM_LEX = 4  # pad, O, B, I


def load_lines(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


class Emitter(nn.Module):
    """Char + seg + lex embeddings -> BiLSTM -> linear emissions.

    The backward LSTM reads each sequence reversed within its own length
    (found from char_ids != 0), so padding never changes the emissions of
    real characters: chunks of any lengths can share one batch.
    """

    def __init__(self, vocab, ntags, emb, tag_emb, hidden, dropout):
        super().__init__()
        self.char = nn.Embedding(vocab, emb, padding_idx=0)
        self.seg = nn.Embedding(NUM_SEG, tag_emb, padding_idx=0)
        self.lex = nn.Embedding(NUM_LEX, tag_emb, padding_idx=0)
        d = emb + 2 * tag_emb
        self.fwd = nn.LSTM(d, hidden, batch_first=True)
        self.bwd = nn.LSTM(d, hidden, batch_first=True)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(2 * hidden, ntags)

    def forward(self, char_ids, seg_tags, lex_tags):
        x = torch.cat([self.char(char_ids), self.seg(seg_tags), self.lex(lex_tags)], dim=-1)
        x = self.drop(x)
        lengths = (char_ids != 0).sum(dim=1, keepdim=True)  # [B,1]
        t = torch.arange(char_ids.shape[1], device=char_ids.device).unsqueeze(0).expand_as(char_ids)
        rev = torch.where(t < lengths, lengths - 1 - t, t)  # an involution
        hf, _ = self.fwd(x)
        xr = torch.gather(x, 1, rev.unsqueeze(-1).expand(-1, -1, x.shape[-1]))
        hb, _ = self.bwd(xr)
        hb = torch.gather(hb, 1, rev.unsqueeze(-1).expand(-1, -1, hb.shape[-1]))
        h = self.drop(torch.cat([hf, hb], dim=-1))
        return self.out(h)


class CRF(nn.Module):
    def __init__(self, ntags):
        super().__init__()
        self.trans = nn.Parameter(torch.zeros(ntags, ntags))  # trans[i, j]: i -> j
        self.start = nn.Parameter(torch.zeros(ntags))
        self.end = nn.Parameter(torch.zeros(ntags))

    def nll(self, em, tags, mask):
        """Mean negative log-likelihood; mask [B,L] bool, prefix-true."""
        B, L, T = em.shape
        maskf = mask.float()
        # gold path score
        score = self.start[tags[:, 0]] + em[:, 0].gather(1, tags[:, :1]).squeeze(1)
        for i in range(1, L):
            s = self.trans[tags[:, i - 1], tags[:, i]] + em[:, i].gather(1, tags[:, i:i + 1]).squeeze(1)
            score = score + s * maskf[:, i]
        last = tags.gather(1, (mask.sum(1) - 1).unsqueeze(1)).squeeze(1)
        score = score + self.end[last]
        # partition
        alpha = self.start.unsqueeze(0) + em[:, 0]  # [B,T]
        for i in range(1, L):
            nxt = torch.logsumexp(alpha.unsqueeze(2) + self.trans.unsqueeze(0) + em[:, i].unsqueeze(1), dim=1)
            alpha = torch.where(mask[:, i:i + 1], nxt, alpha)
        logz = torch.logsumexp(alpha + self.end.unsqueeze(0), dim=1)
        return (logz - score).mean()

    @torch.no_grad()
    def viterbi(self, em, mask):
        B, L, T = em.shape
        score = self.start.unsqueeze(0) + em[:, 0]
        back = []
        for i in range(1, L):
            cand = score.unsqueeze(2) + self.trans.unsqueeze(0)  # [B,T,T]
            best, idx = cand.max(dim=1)
            nxt = best + em[:, i]
            m = mask[:, i:i + 1]
            score = torch.where(m, nxt, score)
            back.append(torch.where(m, idx, torch.arange(T).unsqueeze(0).expand(B, T)))
        score = score + self.end.unsqueeze(0)
        last = score.argmax(dim=1)
        path = [last]
        for idx in reversed(back):
            last = idx.gather(1, last.unsqueeze(1)).squeeze(1)
            path.append(last)
        path.reverse()
        return torch.stack(path, dim=1)  # [B,L]


def spans(tags, names):
    """Lenient BIO/BIOES decoding; the same rules as TagSet.Decode in Go."""
    out, open_, label = [], -1, ""
    for i, t in enumerate(list(tags) + [0]):
        name = names[t] if 0 < t < len(names) else "O"
        p, _, l = name.partition("-")
        if p in ("O",):
            if open_ >= 0:
                out.append((open_, i, label))
            open_, label = -1, ""
        elif p == "B" or p == "S":
            if open_ >= 0:
                out.append((open_, i, label))
            open_, label = -1, ""
            if p == "S":
                out.append((i, i + 1, l))
            else:
                open_, label = i, l
        else:  # I, E
            if open_ < 0 or label != l:
                if open_ >= 0:
                    out.append((open_, i, label))
                open_, label = i, l
            if p == "E":
                out.append((open_, i + 1, label))
                open_, label = -1, ""
    return out


def batches(lines, size, shuffle):
    idx = sorted(range(len(lines)), key=lambda i: len(lines[i]["char_ids"]))
    groups = [idx[i:i + size] for i in range(0, len(idx), size)]
    if shuffle:
        random.shuffle(groups)
    for g in groups:
        L = max(len(lines[i]["char_ids"]) for i in g)

        def pad(key):
            return torch.tensor([lines[i][key] + [0] * (L - len(lines[i][key])) for i in g], dtype=torch.long)

        yield g, pad("char_ids"), pad("seg_tags"), pad("lex_tags"), pad("labels")


def evaluate(emitter, crf, lines, names, size=64):
    emitter.eval()
    tp = fp = fn = 0
    with torch.no_grad():
        for g, c, s, l, y in batches(lines, size, False):
            mask = c != 0
            path = crf.viterbi(emitter(c, s, l), mask)
            for k, i in enumerate(g):
                n = len(lines[i]["char_ids"])
                pred = set(spans(path[k, :n].tolist(), names))
                gold = set(spans(lines[i]["labels"], names))
                tp += len(pred & gold)
                fp += len(pred - gold)
                fn += len(gold - pred)
    p = tp / max(tp + fp, 1)
    r = tp / max(tp + fn, 1)
    return p, r, (2 * p * r / max(p + r, 1e-9))


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True, help="features JSONL (training)")
    ap.add_argument("--dev", required=True, help="features JSONL (model selection)")
    ap.add_argument("--out", required=True, help="model directory (holds vocab.txt and labels.json)")
    ap.add_argument("--reference-texts", required=True, help="hand-written JSONL texts for reference.jsonl")
    ap.add_argument("--repo", default=".", help="repository root (to run the Go feature exporter)")
    ap.add_argument("--emb", type=int, default=128)
    ap.add_argument("--tag-emb", type=int, default=16)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--dropout", type=float, default=0.3)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--patience", type=int, default=6, help="stop after this many epochs without a better dev F1")
    ap.add_argument("--max-minutes", type=float, default=18.0, help="stop training after this wall time")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--opset", type=int, default=18)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    torch.manual_seed(args.seed)

    with open(os.path.join(args.out, "labels.json"), encoding="utf-8") as f:
        names = json.load(f)["tags"]
    with open(os.path.join(args.out, "vocab.txt"), encoding="utf-8") as f:
        vocab = sum(1 for _ in f)
    train, dev = load_lines(args.train), load_lines(args.dev)
    print(f"train {len(train)} chunks, dev {len(dev)} chunks, vocab {vocab}, tags {len(names)}", flush=True)

    emitter = Emitter(vocab, len(names), args.emb, args.tag_emb, args.hidden, args.dropout)
    crf = CRF(len(names))
    params = list(emitter.parameters()) + list(crf.parameters())
    opt = torch.optim.Adam(params, lr=args.lr)

    t0 = time.time()
    best, best_epoch, best_state, history = -1.0, 0, None, []
    for epoch in range(1, args.epochs + 1):
        emitter.train()
        total, nb = 0.0, 0
        for g, c, s, l, y in batches(train, args.batch, True):
            loss = crf.nll(emitter(c, s, l), y, c != 0)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(params, 5.0)
            opt.step()
            total += loss.item()
            nb += 1
        p, r, f1 = evaluate(emitter, crf, dev, names)
        mins = (time.time() - t0) / 60
        history.append({"epoch": epoch, "loss": round(total / nb, 4), "dev_p": round(p, 4), "dev_r": round(r, 4),
                        "dev_f1": round(f1, 4), "minutes": round(mins, 2)})
        print(json.dumps(history[-1]), flush=True)
        if f1 > best:
            best, best_epoch = f1, epoch
            best_state = ({k: v.clone() for k, v in emitter.state_dict().items()},
                          {k: v.clone() for k, v in crf.state_dict().items()})
        if epoch - best_epoch >= args.patience:
            print(f"no better dev F1 for {args.patience} epochs: stop", flush=True)
            break
        if mins * (epoch + 1) / epoch > args.max_minutes:
            print(f"next epoch would pass --max-minutes {args.max_minutes}: stop", flush=True)
            break
    emitter.load_state_dict(best_state[0])
    crf.load_state_dict(best_state[1])
    emitter.eval()
    print(f"best dev chunk-level strict F1 {best:.4f} at epoch {best_epoch}", flush=True)

    # CRF
    with open(os.path.join(args.out, "transitions.json"), "w", encoding="utf-8") as f:
        json.dump({"tags": names,
                   "start": [round(x, 6) for x in crf.start.tolist()],
                   "end": [round(x, 6) for x in crf.end.tolist()],
                   "transitions": [[round(x, 6) for x in row] for row in crf.trans.tolist()]}, f)
        f.write("\n")
    # Round-trip the rounded CRF so that Go decodes with exactly what ships.

    # ONNX: one file, no external data.
    onnx_path = os.path.join(args.out, "model.onnx")
    example = [torch.ones(2, 7, dtype=torch.long)] * 3
    dyn = {"char_ids": {0: "batch", 1: "len"}, "seg_tags": {0: "batch", 1: "len"},
           "lex_tags": {0: "batch", 1: "len"}, "emissions": {0: "batch", 1: "len"}}
    torch.onnx.export(emitter, tuple(example), onnx_path, input_names=["char_ids", "seg_tags", "lex_tags"],
                      output_names=["emissions"], dynamic_axes=dyn, opset_version=args.opset, dynamo=False)
    import onnx
    m = onnx.load(onnx_path)
    onnx.save_model(m, onnx_path, save_as_external_data=False)
    if os.path.exists(onnx_path + ".data"):
        sys.exit("unexpected external data file")

    # reference.jsonl: hand-written texts (never corpus text) -> Go features
    # -> torch emissions, plus one padded batch of two of them.
    feats = subprocess.run(
        ["go", "run", "./services/extract/cmd/features", "export", "-vocab", os.path.join(os.path.abspath(args.out), "vocab.txt")],
        cwd=args.repo, stdin=open(args.reference_texts, "rb"), capture_output=True, check=True).stdout.decode().splitlines()
    refs = [json.loads(l) for l in feats]
    import onnxruntime as ort
    sess = ort.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
    worst = 0.0
    with open(os.path.join(args.out, "reference.jsonl"), "w", encoding="utf-8") as f:
        groups = [[r] for r in refs] + [refs[:2]]
        for grp in groups:
            L = max(len(r["char_ids"]) for r in grp)
            inp = {k: torch.tensor([r[k] + [0] * (L - len(r[k])) for r in grp]) for k in ("char_ids", "seg_tags", "lex_tags")}
            with torch.no_grad():
                em = emitter(inp["char_ids"], inp["seg_tags"], inp["lex_tags"])
            got = sess.run(None, {k: v.numpy() for k, v in inp.items()})[0]
            worst = max(worst, float(abs(got - em.numpy()).max()))
            f.write(json.dumps({"ids": [f'{r["id"]}#{r["chunk"]}' for r in grp],
                                **{k: v.tolist() for k, v in inp.items()},
                                "emissions": [[[round(x, 6) for x in row] for row in b] for b in em.tolist()]}) + "\n")
    print(f"onnxruntime vs torch on reference inputs: max abs diff {worst:.2e}", flush=True)

    info = {"args": vars(args), "history": history, "best_epoch": best_epoch, "best_dev_chunk_f1": round(best, 4),
            "train_chunks": len(train), "dev_chunks": len(dev), "vocab": vocab, "tags": len(names),
            "torch": torch.__version__, "onnx": onnx.__version__, "onnxruntime": ort.__version__,
            "parameters": sum(p.numel() for p in emitter.parameters()) + sum(p.numel() for p in crf.parameters()),
            "minutes": round((time.time() - t0) / 60, 2)}
    with open(os.path.join(args.out, "training.json"), "w", encoding="utf-8") as f:
        json.dump(info, f, indent=1)
        f.write("\n")
    for name in sorted(os.listdir(args.out)):
        print(f"{sha256(os.path.join(args.out, name))}  {name}")


if __name__ == "__main__":
    main()
