#!/usr/bin/env python3
"""Train the extract stage's char BiLSTM-CRF on features exported by Go.

Inputs are the JSONL that `go run ./services/extract/cmd/features export`
writes (one line per chunk: char_ids, seg_tags, lex_tags, [bigram_ids,]
labels), so the model sees exactly the features serving computes. The
emission network is exported to ONNX (inputs char_ids/seg_tags/lex_tags
[/bigram_ids] int64 [batch, len], 0 = padding; output emissions float32
[batch, len, num_tags]); the CRF transitions go to transitions.json and are
decoded in Go. A model directory with bigrams.txt gets the bigram input.

Without --dev the script trains for exactly --epochs (for the shipped model,
on train+dev, with the epoch count chosen by a run with --dev) and can save
every epoch's weights (--save-dir); --from-checkpoint exports saved weights
without training.

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
    """Char (+ char bigram) + seg + lex embeddings -> BiLSTM layers -> linear emissions.

    Each backward LSTM reads its sequence reversed within its own length
    (found from char_ids != 0), so padding never changes the emissions of
    real characters: chunks of any lengths can share one batch. With
    bigrams == 0 the network has the three inputs of ccks-bilstm-v1.
    """

    def __init__(self, vocab, ntags, emb, tag_emb, hidden, dropout, bigrams=0, bigram_emb=0, layers=1):
        super().__init__()
        self.char = nn.Embedding(vocab, emb, padding_idx=0)
        self.bigram = nn.Embedding(bigrams, bigram_emb, padding_idx=0) if bigrams else None
        self.seg = nn.Embedding(NUM_SEG, tag_emb, padding_idx=0)
        self.lex = nn.Embedding(NUM_LEX, tag_emb, padding_idx=0)
        d = emb + 2 * tag_emb + (bigram_emb if bigrams else 0)
        if layers == 1:  # v1 parameter names
            self.fwd = nn.LSTM(d, hidden, batch_first=True)
            self.bwd = nn.LSTM(d, hidden, batch_first=True)
            self.layers = None
        else:
            self.layers = nn.ModuleList()
            for k in range(layers):
                self.layers.append(nn.ModuleList([nn.LSTM(d if k == 0 else 2 * hidden, hidden, batch_first=True),
                                                  nn.LSTM(d if k == 0 else 2 * hidden, hidden, batch_first=True)]))
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(2 * hidden, ntags)

    def forward(self, char_ids, seg_tags, lex_tags, bigram_ids=None):
        parts = [self.char(char_ids)]
        if self.bigram is not None:
            parts.append(self.bigram(bigram_ids))
        x = torch.cat(parts + [self.seg(seg_tags), self.lex(lex_tags)], dim=-1)
        x = self.drop(x)
        lengths = (char_ids != 0).sum(dim=1, keepdim=True)  # [B,1]
        t = torch.arange(char_ids.shape[1], device=char_ids.device).unsqueeze(0).expand_as(char_ids)
        rev = torch.where(t < lengths, lengths - 1 - t, t)  # an involution
        pairs = [(self.fwd, self.bwd)] if self.layers is None else [(f, b) for f, b in self.layers]
        for k, (fwd, bwd) in enumerate(pairs):
            if k > 0:
                x = self.drop(x)
            hf, _ = fwd(x)
            xr = torch.gather(x, 1, rev.unsqueeze(-1).expand(-1, -1, x.shape[-1]))
            hb, _ = bwd(xr)
            hb = torch.gather(hb, 1, rev.unsqueeze(-1).expand(-1, -1, hb.shape[-1]))
            x = torch.cat([hf, hb], dim=-1)
        return self.out(self.drop(x))


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

        inputs = [pad(k) for k in INPUTS if k in lines[g[0]]]
        yield g, inputs, pad("labels")


INPUTS = ("char_ids", "seg_tags", "lex_tags", "bigram_ids")  # ONNX input order


def evaluate(emitter, crf, lines, names, size=64):
    emitter.eval()
    tp = fp = fn = 0
    with torch.no_grad():
        for g, inputs, y in batches(lines, size, False):
            mask = inputs[0] != 0
            path = crf.viterbi(emitter(*inputs), mask)
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


def average_checkpoints(directory, epochs):
    """The mean of the (emitter, crf) weights saved for epochs."""
    states = [torch.load(os.path.join(directory, f"epoch-{e}.pt")) for e in epochs]
    print(f"averaging the weights of epochs {list(epochs)}", flush=True)
    return tuple({k: sum(s[i][k].float() for s in states) / len(states) for k in states[0][i]} for i in range(2))


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True, help="features JSONL (training)")
    ap.add_argument("--dev", help="features JSONL (model selection); without it, train exactly --epochs")
    ap.add_argument("--out", required=True, help="model directory (holds vocab.txt and labels.json)")
    ap.add_argument("--reference-texts", required=True, help="hand-written JSONL texts for reference.jsonl")
    ap.add_argument("--repo", default=".", help="repository root (to run the Go feature exporter)")
    ap.add_argument("--emb", type=int, default=128)
    ap.add_argument("--tag-emb", type=int, default=16)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--layers", type=int, default=1, help="BiLSTM layers")
    ap.add_argument("--bigram-emb", type=int, default=64, help="bigram embedding size (if OUT has bigrams.txt)")
    ap.add_argument("--schedule", choices=["constant", "cosine"], default="constant",
                    help="learning rate: constant, or cosine decay to lr/50 over --epochs")
    ap.add_argument("--save-dir", help="save each epoch's weights here (epoch-N.pt)")
    ap.add_argument("--from-checkpoint", help="export these saved weights (epoch-N.pt) without training")
    ap.add_argument("--average", type=int, default=1,
                    help="with --from-checkpoint epoch-N.pt: average the weights of epochs N-K+1..N")
    ap.add_argument("--init-emb", help="pretrained character embeddings, one row per vocab.txt line, NaN rows "
                    "kept random (lac_embeddings.py matrix); rescaled to unit standard deviation")
    ap.add_argument("--freeze-emb", action="store_true", help="keep the character embeddings fixed")
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
    bigrams_path = os.path.join(args.out, "bigrams.txt")
    nbigrams = 0
    if os.path.exists(bigrams_path):
        with open(bigrams_path, encoding="utf-8") as f:
            nbigrams = sum(1 for _ in f)
    train = load_lines(args.train)
    dev = load_lines(args.dev) if args.dev else []
    if ("bigram_ids" in train[0]) != (nbigrams > 0):
        sys.exit("features and model directory disagree about bigrams (export with -bigrams OUT/bigrams.txt)")
    print(f"train {len(train)} chunks, dev {len(dev)} chunks, vocab {vocab}, bigrams {nbigrams}, tags {len(names)}",
          flush=True)

    emitter = Emitter(vocab, len(names), args.emb, args.tag_emb, args.hidden, args.dropout,
                      bigrams=nbigrams, bigram_emb=args.bigram_emb, layers=args.layers)
    if args.init_emb:
        import numpy as np
        pre = np.load(args.init_emb)
        if pre.shape != tuple(emitter.char.weight.shape):
            sys.exit(f"--init-emb is {pre.shape}, the char embedding {tuple(emitter.char.weight.shape)}")
        have = ~np.isnan(pre).any(axis=1)
        pre = pre / np.nanstd(pre)
        with torch.no_grad():
            w = emitter.char.weight
            w[torch.from_numpy(have)] = torch.from_numpy(pre[have])
            w[0].zero_()  # padding
        print(f"init-emb: {int(have.sum())}/{vocab} rows pretrained", flush=True)
    if args.freeze_emb:
        emitter.char.weight.requires_grad_(False)
    crf = CRF(len(names))
    params = [p for p in emitter.parameters() if p.requires_grad] + list(crf.parameters())
    opt = torch.optim.Adam(params, lr=args.lr)
    steps = args.epochs * math.ceil(len(train) / args.batch)
    if args.schedule == "cosine":
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda k: 0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * min(k, steps) / steps)))
    else:
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda k: 1.0)
    if args.save_dir:
        os.makedirs(args.save_dir, exist_ok=True)

    t0 = time.time()
    best, best_epoch, best_state, history = -1.0, 0, None, []
    for epoch in range(1, 0 if args.from_checkpoint else args.epochs + 1):
        emitter.train()
        total, nb = 0.0, 0
        for g, inputs, y in batches(train, args.batch, True):
            loss = crf.nll(emitter(*inputs), y, inputs[0] != 0)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(params, 5.0)
            opt.step()
            sched.step()
            total += loss.item()
            nb += 1
        row = {"epoch": epoch, "loss": round(total / nb, 4), "lr": round(sched.get_last_lr()[0], 6)}
        f1 = 0.0
        if dev:
            p, r, f1 = evaluate(emitter, crf, dev, names)
            row.update({"dev_p": round(p, 4), "dev_r": round(r, 4), "dev_f1": round(f1, 4)})
        mins = (time.time() - t0) / 60
        row["minutes"] = round(mins, 2)
        history.append(row)
        print(json.dumps(row), flush=True)
        state = ({k: v.clone() for k, v in emitter.state_dict().items()},
                 {k: v.clone() for k, v in crf.state_dict().items()})
        if args.save_dir:
            torch.save(state, os.path.join(args.save_dir, f"epoch-{epoch}.pt"))
            with open(os.path.join(args.save_dir, "history.json"), "w", encoding="utf-8") as f:
                json.dump(history, f)
        if not dev or f1 > best:  # without dev: the last epoch
            best, best_epoch, best_state = f1, epoch, state
        if dev and epoch - best_epoch >= args.patience:
            print(f"no better dev F1 for {args.patience} epochs: stop", flush=True)
            break
        if mins * (epoch + 1) / epoch > args.max_minutes:
            print(f"next epoch would pass --max-minutes {args.max_minutes}: stop", flush=True)
            break
    if args.from_checkpoint:
        best_epoch = int(os.path.basename(args.from_checkpoint).split("-")[1].split(".")[0])
        best_state = average_checkpoints(os.path.dirname(args.from_checkpoint),
                                         range(best_epoch - args.average + 1, best_epoch + 1))
        hist = os.path.join(os.path.dirname(args.from_checkpoint), "history.json")
        if os.path.exists(hist):  # the history of the run that saved the weights
            with open(hist, encoding="utf-8") as f:
                history = json.load(f)
        print(f"weights from {args.from_checkpoint} (epoch {best_epoch})", flush=True)
    emitter.load_state_dict(best_state[0])
    crf.load_state_dict(best_state[1])
    emitter.eval()
    if dev:
        p, r, best = evaluate(emitter, crf, dev, names)
        print(f"dev chunk-level strict F1 {best:.4f} at epoch {best_epoch}", flush=True)

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
    in_names = list(INPUTS[:4 if nbigrams else 3])
    example = [torch.ones(2, 7, dtype=torch.long)] * len(in_names)
    dyn = {k: {0: "batch", 1: "len"} for k in in_names + ["emissions"]}
    torch.onnx.export(emitter, tuple(example), onnx_path, input_names=in_names,
                      output_names=["emissions"], dynamic_axes=dyn, opset_version=args.opset, dynamo=False)
    import onnx
    m = onnx.load(onnx_path)
    onnx.save_model(m, onnx_path, save_as_external_data=False)
    if os.path.exists(onnx_path + ".data"):
        sys.exit("unexpected external data file")

    # reference.jsonl: hand-written texts (never corpus text) -> Go features
    # -> torch emissions, plus one padded batch of two of them.
    cmd = ["go", "run", "./services/extract/cmd/features", "export", "-vocab", os.path.join(os.path.abspath(args.out), "vocab.txt")]
    if nbigrams:
        cmd += ["-bigrams", os.path.abspath(bigrams_path)]
    feats = subprocess.run(
        cmd,
        cwd=args.repo, stdin=open(args.reference_texts, "rb"), capture_output=True, check=True).stdout.decode().splitlines()
    refs = [json.loads(l) for l in feats]
    import onnxruntime as ort
    sess = ort.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
    worst = 0.0
    with open(os.path.join(args.out, "reference.jsonl"), "w", encoding="utf-8") as f:
        groups = [[r] for r in refs] + [refs[:2]]
        for grp in groups:
            L = max(len(r["char_ids"]) for r in grp)
            inp = {k: torch.tensor([r[k] + [0] * (L - len(r[k])) for r in grp]) for k in in_names}
            with torch.no_grad():
                em = emitter(*[inp[k] for k in in_names])
            got = sess.run(None, {k: v.numpy() for k, v in inp.items()})[0]
            worst = max(worst, float(abs(got - em.numpy()).max()))
            f.write(json.dumps({"ids": [f'{r["id"]}#{r["chunk"]}' for r in grp],
                                **{k: v.tolist() for k, v in inp.items()},
                                "emissions": [[[round(x, 6) for x in row] for row in b] for b in em.tolist()]}) + "\n")
    print(f"onnxruntime vs torch on reference inputs: max abs diff {worst:.2e}", flush=True)

    info = {"args": vars(args), "history": history, "best_epoch": best_epoch,
            "best_dev_chunk_f1": round(best, 4) if dev else None,
            "train_chunks": len(train), "dev_chunks": len(dev), "vocab": vocab, "bigrams": nbigrams, "tags": len(names),
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
