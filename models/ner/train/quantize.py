#!/usr/bin/env python3
"""Int8 dynamic quantisation of an NER model directory (issue 4: "optional
int8 dynamic quantisation if it keeps F1 within 0.5 point").

  quantize.py models/ner/ccks-bilstm-v2 models/ner/ccks-bilstm-v2-int8

ONNX Runtime's quantize_dynamic stores the LSTM and linear weights as int8
(DynamicQuantizeLSTM, MatMulInteger) and quantises activations per batch at
run time; embeddings stay float. The CRF (transitions.json), vocabulary and
labels are copied unchanged. reference.jsonl keeps the parent's
single-sequence inputs with the quantised model's emissions from ONNX
Runtime (Python), so the Go reference test checks the Go runtime against the
same artefact; the script also prints how far those emissions are from the
float model's. Padded batches are left out: ONNX Runtime 1.24 (the Go side)
quantises LSTM activations over the whole batch, so the model is served one
chunk per call (`features manifest -batch-size 1`). Then run
`features manifest -name NAME -batch-size 1 DIR` and score dev with Go.
"""
import json
import os
import shutil
import sys

import numpy as np
import onnxruntime as ort
from onnxruntime.quantization import QuantType, quantize_dynamic

INPUTS = ("char_ids", "seg_tags", "lex_tags", "bigram_ids")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, dst = sys.argv[1:]
    os.makedirs(dst, exist_ok=True)
    for f in ("vocab.txt", "labels.json", "transitions.json", "bigrams.txt"):
        if os.path.exists(os.path.join(src, f)):
            shutil.copy(os.path.join(src, f), os.path.join(dst, f))
    quantize_dynamic(os.path.join(src, "model.onnx"), os.path.join(dst, "model.onnx"), weight_type=QuantType.QInt8)
    sess = ort.InferenceSession(os.path.join(dst, "model.onnx"), providers=["CPUExecutionProvider"])
    names = [i.name for i in sess.get_inputs()]
    worst = 0.0
    out = []
    with open(os.path.join(src, "reference.jsonl"), encoding="utf-8") as f:
        for line in f:
            ref = json.loads(line)
            if len(ref["char_ids"]) != 1:
                continue
            feed = {k: np.array(ref[k], dtype=np.int64) for k in names}
            em = sess.run(["emissions"], feed)[0]
            mask = np.array(ref["char_ids"]) != 0
            worst = max(worst, float(np.abs(em - np.array(ref["emissions"]))[mask].max()))
            ref["emissions"] = em.astype(float).round(6).tolist()
            out.append(json.dumps(ref, ensure_ascii=False))
    with open(os.path.join(dst, "reference.jsonl"), "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    a, b = (os.path.getsize(os.path.join(d, "model.onnx")) for d in (src, dst))
    print(f"quantised {src} -> {dst}: model.onnx {a} -> {b} bytes; reference emissions move by at most {worst:.4f} "
          f"(onnxruntime {ort.__version__})", file=sys.stderr)


if __name__ == "__main__":
    main()
