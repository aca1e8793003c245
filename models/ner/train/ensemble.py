#!/usr/bin/env python3
"""Average several NER models of the same vocabulary and tag set into one.

  ensemble.py OUT MEMBER_DIR MEMBER_DIR...

The members (e.g. the same configuration trained with different seeds) must
share vocab.txt, labels.json and their ONNX inputs. OUT/model.onnx runs every
member's network on the shared inputs and outputs the mean of their
emissions; OUT/transitions.json holds the mean of their CRF start, end and
transition scores. The Go side serves it like any other model, so the
ensemble costs one ONNX Runtime call per chunk (N networks' work). reference.jsonl:
the first member's reference inputs with the ensemble's emissions from
ONNX Runtime (Python). Then quantise it (quantize.py) or run
`features manifest` on it.
"""
import filecmp
import json
import os
import shutil
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import compose, helper


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    out, members = sys.argv[1], sys.argv[2:]
    os.makedirs(out, exist_ok=True)
    for f in ("vocab.txt", "labels.json"):
        for m in members[1:]:
            if not filecmp.cmp(os.path.join(members[0], f), os.path.join(m, f), shallow=False):
                sys.exit(f"{m}/{f} differs from {members[0]}/{f}: members must share it")
        shutil.copy(os.path.join(members[0], f), os.path.join(out, f))

    models = [onnx.load(os.path.join(m, "model.onnx")) for m in members]
    inputs = [i.name for i in models[0].graph.input]
    nodes, inits, outs = [], [], []
    for k, m in enumerate(models):
        if [i.name for i in m.graph.input] != inputs:
            sys.exit(f"{members[k]}: inputs differ")
        p = compose.add_prefix(m, f"m{k}_")
        for name in inputs:  # shared inputs feed each member's prefixed ones
            nodes.append(helper.make_node("Identity", [name], [f"m{k}_{name}"], name=f"m{k}_in_{name}"))
        nodes.extend(p.graph.node)
        inits.extend(p.graph.initializer)
        outs.append(f"m{k}_emissions")
    nodes.append(helper.make_node("Mean", outs, ["emissions"], name="ensemble_mean"))
    g = helper.make_graph(nodes, "ner_ensemble", list(models[0].graph.input), list(models[0].graph.output),
                          initializer=inits)
    model = helper.make_model(g, opset_imports=models[0].opset_import, producer_name="bingli ensemble.py")
    model.ir_version = models[0].ir_version
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(out, "model.onnx"))

    trans = [json.load(open(os.path.join(m, "transitions.json"), encoding="utf-8")) for m in members]
    avg = {"tags": trans[0]["tags"]}
    for key in ("start", "end", "transitions"):
        avg[key] = np.mean([np.array(t[key], dtype=np.float64) for t in trans], axis=0).round(6).tolist()
    with open(os.path.join(out, "transitions.json"), "w", encoding="utf-8") as f:
        json.dump(avg, f)

    sess = ort.InferenceSession(os.path.join(out, "model.onnx"), providers=["CPUExecutionProvider"])
    singles = [ort.InferenceSession(os.path.join(m, "model.onnx"), providers=["CPUExecutionProvider"]) for m in members]
    lines, worst = [], 0.0
    with open(os.path.join(members[0], "reference.jsonl"), encoding="utf-8") as f:
        for line in f:
            ref = json.loads(line)
            feed = {k: np.array(ref[k], dtype=np.int64) for k in inputs}
            em = sess.run(["emissions"], feed)[0]
            mean = np.mean([s.run(["emissions"], feed)[0] for s in singles], axis=0)
            worst = max(worst, float(np.abs(em - mean).max()))
            ref["emissions"] = em.astype(float).round(6).tolist()
            lines.append(json.dumps(ref, ensure_ascii=False))
    with open(os.path.join(out, "reference.jsonl"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    if worst > 1e-4:
        sys.exit(f"ensemble emissions differ from the members' mean by {worst}")
    print(f"ensemble of {len(members)} -> {out} (emissions = members' mean within {worst:.1e})", file=sys.stderr)


if __name__ == "__main__":
    main()
