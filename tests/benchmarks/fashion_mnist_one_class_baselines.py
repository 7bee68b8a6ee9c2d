#!/usr/bin/python3
"""Fashion-MNIST one-class, classical side, beside CA3's results: for each class, trained on that
class's 6,000 training images only and scored on all 10,000 test images (the other nine classes
anomalous), test ROC-AUC of
  kNN       mean Euclidean distance to the 5 nearest training images (raw pixels),
  PCA       reconstruction error from the principal components keeping 90% of the variance,
  IForest   scikit-learn IsolationForest (200 trees) on the raw pixels,
then CA3's figures (the JSON lines fashion_mnist_one_class printed, if a file is given). When
CA3 trained contaminated (its lines name the other classes' images mixed in), the classical
detectors are fitted on the same images.

    fashion_mnist_one_class_baselines.py IDX_DIR [CA3_RESULTS.jsonl] [classes]
"""
import gzip
import json
import os
import sys

import numpy as np
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score

NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def read_idx(path):
    opener = gzip.open if not os.path.exists(path) else open
    path = path if os.path.exists(path) else path + ".gz"
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def knn_scores(train, test, k=5, chunk=1000):
    train_sq = (train ** 2).sum(1)
    out = np.empty(len(test), np.float32)
    for i in range(0, len(test), chunk):
        t = test[i:i + chunk]
        d = np.maximum((t ** 2).sum(1)[:, None] + train_sq[None, :] - 2 * t @ train.T, 0)
        out[i:i + chunk] = np.sqrt(np.partition(d, k, axis=1)[:, :k]).mean(1)
    return out


def main():
    idx = sys.argv[1]
    ca3, mixed = {}, {}
    if len(sys.argv) > 2 and os.path.exists(sys.argv[2]):
        for line in open(sys.argv[2]):
            if line.startswith("{"):
                r = json.loads(line)
                if "mixed_rows" in r:
                    mixed[r["class"]] = r["mixed_rows"]
                else:
                    ca3[r["class"]] = r
    classes = [int(c) for c in sys.argv[3].split(",")] if len(sys.argv) > 3 else list(range(10))
    x_train = read_idx(f"{idx}/train-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255
    y_train = read_idx(f"{idx}/train-labels-idx1-ubyte")
    x_test = read_idx(f"{idx}/t10k-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255
    y_test = read_idx(f"{idx}/t10k-labels-idx1-ubyte")
    header = ("| class | CA3 (its default score) | CA3 alarm | CA3 reconstruction | CA3 neighbour distance (14 x 14) "
              "| kNN | PCA | IForest | CA3 training (s) |")
    if mixed:
        print(f"contaminated: the other classes' images mixed in unlabelled, {len(next(iter(mixed.values())))} per class")
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    sums = np.zeros(7)
    for k in classes:
        normal = x_train[y_train == k]
        if k in mixed:
            normal = np.concatenate([normal, x_train[mixed[k]]])
        truth = (y_test != k).astype(int)
        knn = roc_auc_score(truth, knn_scores(normal, x_test))
        pca = PCA(n_components=0.9, svd_solver="full").fit(normal)
        pca_auc = roc_auc_score(truth, ((x_test - pca.inverse_transform(pca.transform(x_test))) ** 2).sum(1))
        forest = IsolationForest(n_estimators=200, random_state=0).fit(normal)
        forest_auc = roc_auc_score(truth, -forest.score_samples(x_test))
        r = ca3.get(k, {})
        row = [r.get("roc_auc", np.nan), r.get("alarm_auc", np.nan), r.get("reconstruction_auc", np.nan),
               r.get("neighbour_auc", np.nan), knn, pca_auc, forest_auc]
        sums += row
        print(f"| {k} {NAMES[k]} | " + " | ".join(f"{v:.4f}" for v in row) + f" | {r.get('train_seconds', np.nan):.0f} |", flush=True)
    print("| mean | " + " | ".join(f"{v / len(classes):.4f}" for v in sums) + " |  |")


if __name__ == "__main__":
    main()
