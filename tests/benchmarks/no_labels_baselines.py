#!/usr/bin/python3
"""Detection without labelled anomalies, classical side: scikit-learn IsolationForest,
LocalOutlierFactor (novelty, k = 20, standardised columns), ECOD (Li et al. 2022: per-column
empirical tail probabilities, here written with numpy) and the k-nearest-neighbour distance
(k = 5, standardised columns clipped to +-20, mean squared distance: the term CA3's combined
score for rows includes, shown alone) on exactly the splits no_labels_benchmark
wrote (OUT_DIR/<set>-split.json), trained as CA3 was in each setting, then one table per setting
with CA3's results (OUT_DIR/ca3-results.jsonl) beside them: test ROC-AUC, mean over seeds.

    no_labels_baselines.py DATA_DIR OUT_DIR
"""
import csv
import glob
import json
import os
import sys

import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score
from sklearn.neighbors import LocalOutlierFactor, NearestNeighbors

MISSING = {"", "na", "nan", "?", "null", "n/a"}


def read_features(path, label, drop_duplicates):
    """The numeric columns of a CSV (not the label, not identifiers), missing cells as NaN."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    if drop_duplicates:
        seen, kept = set(), []
        for r in rows:
            if tuple(r) not in seen:
                seen.add(tuple(r))
                kept.append(r)
        rows = kept
    columns = [i for i, name in enumerate(header) if name != label and name.strip().lower() != "id"]
    x = np.full((len(rows), len(columns)), np.nan)
    for k, i in enumerate(columns):
        for r, row in enumerate(rows):
            cell = row[i].strip()
            if cell.lower() not in MISSING:
                x[r, k] = float(cell)
    return x


def ecod(train, test):
    """ECOD: for each column, the empirical left and right tail probabilities of a value among
    the training values; the score is the largest of -sum log(left), -sum log(right) and
    -sum log(the tail the column's skewness points to)."""
    n = len(train)
    left = np.zeros_like(test)
    right = np.zeros_like(test)
    for j in range(train.shape[1]):
        column = np.sort(train[:, j])
        left[:, j] = np.searchsorted(column, test[:, j], side="right") / n
        right[:, j] = (n - np.searchsorted(column, test[:, j], side="left")) / n
    left, right = np.clip(left, 1 / (n + 1), 1), np.clip(right, 1 / (n + 1), 1)
    skew = ((train - train.mean(0)) ** 3).mean(0) / np.maximum(train.std(0), 1e-12) ** 3
    tail = np.where(skew < 0, left, right)
    return np.maximum.reduce([-np.log(left).sum(1), -np.log(right).sum(1), -np.log(tail).sum(1)])


def knn_distance(fit, scored, k=5):
    """Mean squared distance from each scored row to its k nearest rows of `fit`."""
    distances, _ = NearestNeighbors(n_neighbors=min(k, len(fit))).fit(fit).kneighbors(scored)
    return (distances ** 2).mean(1)


def main():
    data_dir, out_dir = sys.argv[1], sys.argv[2]
    results = []
    with open(os.path.join(out_dir, "ca3-results.jsonl")) as f:
        ca3 = [json.loads(line) for line in f if line.strip()]
    seeds = sorted({r["seed"] for r in ca3}) or [0, 1, 2]
    settings = []
    for r in ca3:
        if r["setting"] not in settings:
            settings.append(r["setting"])
    sets = []
    for path in sorted(glob.glob(os.path.join(out_dir, "*-split.json"))):
        name = os.path.basename(path)[: -len("-split.json")]
        sets.append(name)
        split = json.load(open(path))
        x = read_features(os.path.join(data_dir, split["file"]), split["label"], split["drop_duplicates"])
        y = np.array(split["labels"])
        train, test = np.array(split["train"]), np.array(split["test"])
        for setting in settings:
            for seed in seeds:
                if setting == "one_class":
                    rows = train[y[train] == 0]
                elif setting == "contaminated":
                    rows = train
                else:  # few_labels: the labelled anomalies are left out of these unsupervised fits
                    labelled = set(split["few_labels"][str(seed)])
                    rows = np.array([r for r in train if r not in labelled])
                fit = x[rows]
                median = np.nanmedian(fit, axis=0)
                median = np.where(np.isnan(median), 0, median)
                fit = np.where(np.isnan(fit), median, fit)
                scored = np.where(np.isnan(x[test]), median, x[test])
                mean, sd = fit.mean(0), fit.std(0)
                sd = np.where(sd > 1e-12, sd, 1)
                forest = IsolationForest(random_state=seed).fit(fit)
                lof = LocalOutlierFactor(n_neighbors=20, novelty=True).fit((fit - mean) / sd)
                scores = {
                    "IsolationForest": -forest.score_samples(scored),
                    "LocalOutlierFactor": -lof.score_samples((scored - mean) / sd),
                    "ECOD": ecod(fit, scored),
                    "kNN": knn_distance(np.clip((fit - mean) / sd, -20, 20), np.clip((scored - mean) / sd, -20, 20)),
                }
                for method, s in scores.items():
                    results.append({"set": name, "seed": seed, "setting": setting, "method": method,
                                    "roc_auc": roc_auc_score(y[test], s)})
    results += ca3
    methods = ["CA3", "IsolationForest", "LocalOutlierFactor", "ECOD", "kNN"]
    classical = ["IsolationForest", "LocalOutlierFactor", "ECOD"]  # the goal: the best of these
    for setting in settings:
        print(f"\n{setting}: test ROC-AUC, mean over seeds {seeds}")
        print("| data set | " + " | ".join(methods) + " | CA3 − best of IsolationForest, LocalOutlierFactor, ECOD | CA3 − kNN |")
        print("|---|" + "---|" * (len(methods) + 2))
        for s in sets:
            means = {}
            for m in methods:
                v = [r["roc_auc"] for r in results if r["set"] == s and r["setting"] == setting and r["method"] == m]
                if v:
                    means[m] = float(np.mean(v))
            if "CA3" not in means:
                continue
            best = max(means[m] for m in classical if m in means)
            cells = [f"{means[m]:.4f}" if m in means else "–" for m in methods]
            print(f"| {s} | " + " | ".join(cells) + f" | {means['CA3'] - best:+.4f} | {means['CA3'] - means['kNN']:+.4f} |")


if __name__ == "__main__":
    main()
