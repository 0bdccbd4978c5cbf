#!/usr/bin/python3
"""Writes tests/golden/metrics-golden.json: fixed-seed eval cases with scikit-learn/numpy reference metrics.

Why: computeMetrics (src/main/evals/metrics.ts) is checked against an independent implementation.
Run with Debian's python3 (apt-get install -y python3-sklearn):  /usr/bin/python3 scripts/golden-metrics.py
Conventions reproduced here (see metrics.ts):
  * off-label predictions (null) -> a sentinel class outside `labels`, and labels=labels is passed to sklearn,
    so they are wrong for accuracy/recall and nobody's predicted positive for precision;
  * ECE: 10 bins, bin = min(floor(conf*10), 9), conf = max probability, correct = argmax == truth;
  * Brier: multi-class form mean(sum_k (p_k - y_k)^2);
  * latency percentiles: numpy.percentile default (linear).
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.metrics import (accuracy_score, balanced_accuracy_score, brier_score_loss, confusion_matrix,
                             log_loss, precision_recall_fscore_support)

OFF = "__off_label__"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "golden", "metrics-golden.json")

PETS = ["abyssinian", "american_bulldog", "american_pit_bull_terrier", "basset_hound", "beagle", "bengal",
        "birman", "bombay", "boxer", "british_shorthair", "chihuahua", "egyptian_mau", "english_cocker_spaniel",
        "english_setter", "german_shorthaired", "great_pyrenees", "havanese", "japanese_chin", "keeshond",
        "leonberger", "maine_coon", "miniature_pinscher", "newfoundland", "persian", "pomeranian", "pug",
        "ragdoll", "russian_blue", "saint_bernard", "samoyed", "scottish_terrier", "shiba_inu", "siamese",
        "sphynx", "staffordshire_bull_terrier", "wheaten_terrier", "yorkshire_terrier"]


def noisy_predictions(rng, labels, truth, p_correct, p_off=0.0, never=()):
    allowed = [l for l in labels if l not in never]
    preds = []
    for t in truth:
        u = rng.random()
        if u < p_off:
            preds.append(None)
        elif u < p_off + p_correct and t not in never:
            preds.append(t)
        else:
            preds.append(allowed[rng.integers(len(allowed))])
    return preds


def softmax_rows(logits):
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def expected(labels, rows, wall):
    y_true = [r["truth"] for r in rows]
    y_pred = [OFF if r["prediction"] is None else r["prediction"] for r in rows]
    p, r_, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    out = {
        "n": len(rows),
        "accuracy": accuracy_score(y_true, y_pred),
        "balancedAccuracy": balanced_accuracy_score(y_true, y_pred),
        "offLabelRate": sum(1 for x in y_pred if x == OFF) / len(rows),
        "perClass": {"precision": p.tolist(), "recall": r_.tolist(), "f1": f.tolist(), "support": s.tolist()},
        "confusion": confusion_matrix(y_true, y_pred, labels=labels + [OFF])[: len(labels)].tolist(),
    }
    for avg in ("macro", "weighted"):
        ap, ar, af, _ = precision_recall_fscore_support(y_true, y_pred, labels=labels, average=avg, zero_division=0)
        out[avg] = {"precision": ap, "recall": ar, "f1": af}
    if all("probabilities" in r for r in rows):
        probs = np.array([r["probabilities"] for r in rows], dtype=np.float64)
        truth_idx = np.array([labels.index(t) for t in y_true])
        order = sorted(range(len(labels)), key=lambda i: labels[i])  # LabelBinarizer sorts classes
        ll = log_loss(y_true, probs[:, order], labels=[labels[i] for i in order])
        onehot = np.eye(len(labels))[truth_idx]
        brier = float(np.mean(np.sum((probs - onehot) ** 2, axis=1)))
        if len(labels) == 2:  # cross-check the multi-class form against sklearn's binary Brier
            assert abs(brier - 2 * brier_score_loss(truth_idx, probs[:, 1])) < 1e-12
        conf = probs.max(axis=1)
        correct = probs.argmax(axis=1) == truth_idx
        bin_idx = np.minimum(np.floor(conf * 10), 9).astype(int)
        bins, ece = [], 0.0
        for b in range(10):
            m = bin_idx == b
            c = int(m.sum())
            mc = float(conf[m].mean()) if c else None
            acc = float(correct[m].mean()) if c else None
            if c:
                ece += c / len(rows) * abs(acc - mc)
            bins.append({"count": c, "meanConfidence": mc, "accuracy": acc})
        out["calibration"] = {"n": len(rows), "ece": ece, "brier": brier, "logLoss": float(ll), "bins": bins}
    else:
        out["calibration"] = None
    lat = [r["latencyMs"] for r in rows if "latencyMs" in r]
    out["latency"] = ({"n": len(lat), "meanMs": float(np.mean(lat)), "p50Ms": float(np.percentile(lat, 50)),
                       "p95Ms": float(np.percentile(lat, 95))} if lat else None)
    out["throughputPerSec"] = len(rows) / (wall / 1000) if wall else None
    return out


def make_rows(truth, preds, rng=None, probs=None, latency=None):
    rows = []
    for i, (t, p) in enumerate(zip(truth, preds)):
        row = {"truth": t, "prediction": p}
        if probs is not None:
            row["probabilities"] = [float(x) for x in probs[i]]
        if latency is not None:
            row["latencyMs"] = float(round(latency[i], 3))
        rows.append(row)
    return rows


def case(name, description, labels, rows, wall=None):
    inp = {"labels": labels, "rows": rows}
    if wall is not None:
        inp["wallTimeMs"] = wall
    return {"name": name, "description": description, "input": inp, "expected": expected(labels, rows, wall)}


def build():
    cases = []
    rng = np.random.default_rng(1)
    labels = ["cat", "dog"]
    truth = ["cat" if rng.random() < 0.85 else "dog" for _ in range(200)]
    preds = noisy_predictions(rng, labels, truth, 0.8)
    lat = rng.lognormal(4.0, 0.5, 200)
    cases.append(case("binary-imbalanced", "cat/dog, 85% cats, 80% correct", labels,
                      make_rows(truth, preds, latency=lat), wall=float(round(lat.sum() * 0.6, 3))))

    rng = np.random.default_rng(37)
    truth = [PETS[rng.integers(37)] for _ in range(500)]
    preds = noisy_predictions(rng, PETS, truth, 0.6)
    cases.append(case("pets-37-class", "37 Oxford-IIIT pet breeds, 60% correct", PETS, make_rows(truth, preds)))

    rng = np.random.default_rng(6)
    labels = ["bird", "car", "cat", "dog", "ship", "truck"]
    truth = [labels[rng.integers(6)] for _ in range(150)]
    preds = noisy_predictions(rng, labels, truth, 0.65, p_off=0.15)
    lat = rng.uniform(100, 900, 150)
    cases.append(case("six-class-off-label", "6 classes, ~15% off-label answers", labels,
                      make_rows(truth, preds, latency=lat), wall=12345.5))

    rng = np.random.default_rng(4)
    labels = ["apple", "banana", "cherry", "date", "elderberry"]
    truth = [labels[rng.integers(4)] for _ in range(80)]  # elderberry: in labels, never in truth
    preds = noisy_predictions(rng, labels, truth, 0.7, p_off=0.05, never=("cherry",))
    cases.append(case("class-never-predicted", "cherry never predicted; elderberry has no support but is predicted",
                      labels, make_rows(truth, preds)))

    rng = np.random.default_rng(5)
    labels = ["daisy", "dandelion", "rose", "sunflower", "tulip"]
    truth_idx = rng.integers(5, size=300)
    logits = rng.normal(0, 1, (300, 5))
    logits[np.arange(300), truth_idx] += rng.normal(1.5, 1.0, 300)
    probs = softmax_rows(logits * 1.7)
    probs[0] = [0.0, 0.0, 0.5, 0.5, 0.0]  # truth prob 0 -> log loss clipping; tie -> first argmax
    probs[1] = [1.0, 0.0, 0.0, 0.0, 0.0]  # confidence exactly 1.0 -> last bin
    truth = [labels[i] for i in truth_idx]
    truth[0] = "daisy"
    preds = [labels[int(np.argmax(p))] for p in probs]
    preds[2] = None  # off-label answer that still carried probabilities
    cases.append(case("scored-calibration", "5 classes with softmax probabilities (overconfident)", labels,
                      make_rows(truth, preds, probs=probs)))

    rng = np.random.default_rng(2)
    labels = ["cat", "dog"]
    truth_idx = rng.integers(2, size=120)
    p_dog = np.clip(rng.beta(2, 2, 120) * 0.6 + truth_idx * 0.4, 0, 1)
    probs = np.stack([1 - p_dog, p_dog], axis=1)
    preds = [labels[int(np.argmax(p))] for p in probs]
    cases.append(case("scored-binary", "cat/dog with probabilities (Brier cross-checked with sklearn)", labels,
                      make_rows([labels[i] for i in truth_idx], preds, probs=probs)))

    cases.append(case("all-off-label", "every answer off-label", ["cat", "dog"],
                      make_rows(["cat", "dog", "dog"], [None, None, None])))
    cases.append(case("single-class", "one class only, one miss", ["cat"],
                      make_rows(["cat"] * 4, ["cat", "cat", None, "cat"])))
    return cases


def main():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cases = build()
    doc = {"generatedBy": "scripts/golden-metrics.py", "sklearn": sklearn.__version__, "numpy": np.__version__,
           "offLabelSentinel": OFF, "cases": cases}
    with open(OUT, "w") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")
    print(f"wrote {len(cases)} cases to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
