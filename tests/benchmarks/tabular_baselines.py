#!/usr/bin/python3
"""Tabular benchmark, baseline side: scikit-learn IsolationForest and
HistGradientBoostingClassifier on exactly the splits tabular_benchmark wrote (OUT_DIR/<set>-<seed>.csv,
preprocessed rows with label and part columns), then one table with every method's test ROC-AUC,
mean +- sd over seeds, CA3's results read from OUT_DIR/ca3-results.jsonl.

    tabular_baselines.py OUT_DIR
"""
import glob
import json
import os
import sys

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, IsolationForest
from sklearn.metrics import roc_auc_score

out_dir = sys.argv[1]
results = []
for path in sorted(glob.glob(os.path.join(out_dir, "*-*.csv"))):
    name, seed = os.path.basename(path)[:-4].rsplit("-", 1)
    with open(path) as f:
        header = f.readline().strip().split(",")
        rows = [line.strip().split(",") for line in f if line.strip()]
    x = np.array([[float(v) for v in r[:-2]] for r in rows])
    y = np.array([int(r[-2]) for r in rows])
    part = np.array([r[-1] for r in rows])
    train, test = part == "train", part == "test"
    seed = int(seed)
    forest = IsolationForest(random_state=seed).fit(x[train & (y == 0)])
    results.append({"set": name, "seed": seed, "method": "sklearn IsolationForest",
                    "roc_auc": roc_auc_score(y[test], -forest.score_samples(x[test]))})
    boosting = HistGradientBoostingClassifier(random_state=seed).fit(x[train], y[train])
    results.append({"set": name, "seed": seed, "method": "sklearn HistGradientBoosting",
                    "roc_auc": roc_auc_score(y[test], boosting.predict_proba(x[test])[:, 1])})

with open(os.path.join(out_dir, "ca3-results.jsonl")) as f:
    results += [json.loads(line) for line in f if line.strip()]

methods = ["CA3 e2e", "CA3 a3", "CA3 reconstruction", "sklearn IsolationForest", "sklearn HistGradientBoosting"]
# Ensembles (tabular_benchmark with CA3_ENSEMBLE=K): "CA3 e2e xK", then the mean of its models alone.
ensembles = sorted({r["method"] for r in results if r["method"].startswith("CA3 e2e x")})
for e in ensembles:
    members = f"CA3 e2e (one model of {e[4:]})"
    results += [{"set": q["set"], "seed": q["seed"], "method": members, "roc_auc": q["single_roc_auc"]}
                for q in results if q["method"] == e]
    methods[1:1] = [e, members]
sets = []
for r in results:
    if r["set"] not in sets:
        sets.append(r["set"])
print("| data set | " + " | ".join(methods) + " | E2E − best other |")
print("|---|" + "---|" * (len(methods) + 1))
for s in sets:
    cells, means = [], {}
    for m in methods:
        v = [r["roc_auc"] for r in results if r["set"] == s and r["method"] == m]
        if v:
            means[m] = float(np.mean(v))
            cells.append(f"{np.mean(v):.4f} ± {np.std(v):.4f} (n={len(v)})")
        else:
            cells.append("–")
    # CA3 E2E-ConvA3 (the ensemble's figure when there is one) against the others but its variants.
    ours = next((m for m in ensembles + ["CA3 e2e"] if m in means), None)
    others = [means[m] for m in methods if m in means and m != ours and not m.startswith("CA3 e2e")]
    gap = f"{means[ours] - max(others):+.4f}" if ours and others else "–"
    print(f"| {s} | " + " | ".join(cells) + f" | {gap} |")
