#!/usr/bin/python3
"""Fashion-MNIST, the paper's protocol through the `ca3` command line: for each class, that class
normal and the other nine labelled anomalies, stratified 8:1:1 split of the training file, train,
test ROC-AUC; printed next to the paper's gamma = 10 column (E2E-ConvA3, Table 1).

    fashion_mnist.py CA3_BINARY PRESET [--limit N] [--epochs N] [--patience N] [--classes 0,1,...] [--threads N]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

PAPER = [.9849, .9986, .9863, .9942, .9855, .9982, .9662, .9983, .9986, .9988]
NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

p = argparse.ArgumentParser()
p.add_argument("ca3")
p.add_argument("preset")
p.add_argument("--limit", type=int, default=0)
p.add_argument("--epochs", type=int, default=0)
p.add_argument("--patience", type=int, default=0)
p.add_argument("--classes", default="0,1,2,3,4,5,6,7,8,9")
p.add_argument("--threads", type=int, default=0)
a = p.parse_args()
data = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"
rows = []
with tempfile.TemporaryDirectory() as tmp:
    for k in [int(c) for c in a.classes.split(",")]:
        cmd = [a.ca3, "train", "--data", data, "--normal", str(k), "--preset", a.preset, "--quiet",
               "--out", os.path.join(tmp, "m.ca3"), "--report", os.path.join(tmp, "r.json")]
        if a.limit:
            cmd += ["--limit", str(a.limit)]
        if a.epochs:
            cmd += ["--epochs", str(a.epochs)]
        if a.patience:
            cmd += ["--patience", str(a.patience)]
        if a.threads:
            cmd += ["--threads", str(a.threads)]
        start = time.time()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        r = json.load(open(os.path.join(tmp, "r.json")))
        rows.append((k, r["test"]["rocAuc"], r["epochs"], time.time() - start, r["rows"]))
        print(f"class {k}: test ROC-AUC {r['test']['rocAuc']:.4f} ({r['epochs']} epochs, {time.time() - start:.0f} s)",
              file=sys.stderr, flush=True)
print(f"| class | CA3 E2E-ConvA3 test ROC-AUC | paper (γ = 10) | difference | epochs | seconds |")
print("|---|---|---|---|---|---|")
for k, auc, epochs, seconds, _ in sorted(rows):
    print(f"| {k} {NAMES[k]} | {auc:.4f} | {PAPER[k]:.4f} | {auc - PAPER[k]:+.4f} | {epochs} | {seconds:.0f} |")
mean = sum(r[1] for r in rows) / len(rows)
paper_mean = sum(PAPER[r[0]] for r in rows) / len(rows)
print(f"| mean | {mean:.4f} | {paper_mean:.4f} | {mean - paper_mean:+.4f} | | |")
split = rows[0][4]
print(f"\nsplit per class: {split['train']} train / {split['validation']} validation / {split['test']} test images")
