#!/usr/bin/python3
"""Writes tests/golden/open-labels-golden.json: open-label-set eval cases with scikit-learn/numpy reference metrics.

Why: computeMetrics (src/main/evals/metrics.ts) is checked against an independent implementation when a run's
candidate labels are a superset of the truth classes (49 car makers offered for a 6-make test set) and one candidate
means "abstain". Run with Debian's python3 (apt-get install -y python3-sklearn):
  /usr/bin/python3 scripts/golden-open-labels.py
Conventions reproduced here (see metrics.ts):
  * precision/recall/F1 and their macro/weighted averages: sklearn with labels= the TRUTH classes, so a predicted
    candidate outside them (abstain included) is wrong and nobody's predicted positive, like an off-label answer;
  * confusion columns: truth classes, then the predicted non-truth candidates that occurred (candidate order), then
    off-label (a sentinel that is no candidate);
  * coverage = share of rows not predicted as the abstain label; accuracy on answered = accuracy over those rows;
  * calibration over the probabilities of ALL candidates (log_loss with labels= the candidates).
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.metrics import (accuracy_score, balanced_accuracy_score, confusion_matrix, log_loss,
                             precision_recall_fscore_support)

OFF = "__off_label__"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "golden", "open-labels-golden.json")

# The car-maker walkthrough's 49 manufacturers (../shared/reference, "49 unique car manufacturers").
MAKERS = ["AM", "Acura", "Aston", "Audi", "BMW", "Bentley", "Bugatti", "Buick", "Cadillac", "Chevrolet", "Chrysler",
          "Daewoo", "Dodge", "Eagle", "FIAT", "Ferrari", "Fisker", "Ford", "GMC", "Geo", "HUMMER", "Honda", "Hyundai",
          "Infiniti", "Isuzu", "Jaguar", "Jeep", "Lamborghini", "Land", "Lincoln", "MINI", "Maybach", "Mazda",
          "McLaren", "Mercedes-Benz", "Mitsubishi", "Nissan", "Plymouth", "Porsche", "Ram", "Rolls-Royce", "Scion",
          "Spyker", "Suzuki", "Tesla", "Toyota", "Volkswagen", "Volvo", "smart"]
SIX = ["Audi", "BMW", "Chevrolet", "Dodge", "Ford", "Hyundai"]


def expected(labels, truth_labels, abstain, rows):
    y_true = [r["truth"] for r in rows]
    y_pred = [OFF if r["prediction"] is None else r["prediction"] for r in rows]
    p, r_, f, s = precision_recall_fscore_support(y_true, y_pred, labels=truth_labels, zero_division=0)
    extras = [l for l in labels if l not in truth_labels and l in y_pred]
    columns = truth_labels + extras + [OFF]
    out = {
        "n": len(rows),
        "accuracy": accuracy_score(y_true, y_pred),
        "balancedAccuracy": balanced_accuracy_score(y_true, y_pred),
        "offLabelRate": sum(1 for x in y_pred if x == OFF) / len(rows),
        "outsideTruthCount": sum(1 for x in y_pred if x != OFF and x not in truth_labels),
        "perClass": {"precision": p.tolist(), "recall": r_.tolist(), "f1": f.tolist(), "support": s.tolist()},
        "confusionColumns": truth_labels + extras + ["off-label"],
        "confusion": confusion_matrix(y_true, y_pred, labels=columns)[: len(truth_labels)].tolist(),
    }
    for avg in ("macro", "weighted"):
        ap, ar, af, _ = precision_recall_fscore_support(y_true, y_pred, labels=truth_labels, average=avg,
                                                        zero_division=0)
        out[avg] = {"precision": ap, "recall": ar, "f1": af}
    if abstain is not None:
        answered = [i for i, x in enumerate(y_pred) if x != abstain]
        out["abstain"] = {
            "label": abstain, "abstained": len(rows) - len(answered), "answered": len(answered),
            "coverage": len(answered) / len(rows),
            "accuracyOnAnswered": (accuracy_score([y_true[i] for i in answered], [y_pred[i] for i in answered])
                                   if answered else None),
        }
    else:
        out["abstain"] = None
    if all("probabilities" in r for r in rows):
        probs = np.array([r["probabilities"] for r in rows], dtype=np.float64)
        truth_idx = np.array([labels.index(t) for t in y_true])
        order = sorted(range(len(labels)), key=lambda i: labels[i])  # LabelBinarizer sorts classes
        ll = log_loss(y_true, probs[:, order], labels=[labels[i] for i in order])
        onehot = np.eye(len(labels))[truth_idx]
        conf = probs.max(axis=1)
        correct = probs.argmax(axis=1) == truth_idx
        bin_idx = np.minimum(np.floor(conf * 10), 9).astype(int)
        ece = sum(float((bin_idx == b).sum()) / len(rows) * abs(float(correct[bin_idx == b].mean()) -
                                                               float(conf[bin_idx == b].mean()))
                  for b in range(10) if (bin_idx == b).any())
        out["calibration"] = {"n": len(rows), "ece": ece, "brier": float(np.mean(np.sum((probs - onehot) ** 2, axis=1))),
                              "logLoss": float(ll), "binCounts": np.bincount(bin_idx, minlength=10).tolist()}
    else:
        out["calibration"] = None
    return out


def case(name, description, labels, truth_labels, abstain, rows):
    inp = {"labels": labels, "truthLabels": truth_labels, "abstainLabel": abstain, "rows": rows}
    return {"name": name, "description": description, "input": inp,
            "expected": expected(labels, truth_labels, abstain, rows)}


def answers(rng, truth, labels, p_correct, p_abstain=0.0, abstain=None, p_off=0.0, near=None):
    """Noisy answers: right, abstain, off-label, a near miss from `near` (e.g. another truth make), or any candidate."""
    preds = []
    for t in truth:
        u = rng.random()
        if u < p_correct:
            preds.append(t)
        elif u < p_correct + p_abstain:
            preds.append(abstain)
        elif u < p_correct + p_abstain + p_off:
            preds.append(None)
        elif near is not None and rng.random() < 0.5:
            preds.append(near[rng.integers(len(near))])
        else:
            preds.append(labels[rng.integers(len(labels))])
    return preds


def build():
    cases = []
    rng = np.random.default_rng(49)
    truth = [SIX[rng.integers(6)] for _ in range(240)]
    preds = answers(rng, truth, MAKERS, 0.55, p_off=0.05, near=SIX)
    cases.append(case("cars-49-candidates", "6 truth makes, 49 makers offered, ~5% off-label", MAKERS, SIX, None,
                      [{"truth": t, "prediction": p} for t, p in zip(truth, preds)]))

    rng = np.random.default_rng(50)
    labels = MAKERS + ["unknown"]
    truth = [SIX[rng.integers(6)] for _ in range(300)]
    preds = answers(rng, truth, labels, 0.5, p_abstain=0.2, abstain="unknown", p_off=0.03, near=SIX)
    cases.append(case("cars-49-abstain", "49 makers + 'unknown' as abstain, ~20% abstentions", labels, SIX, "unknown",
                      [{"truth": t, "prediction": p} for t, p in zip(truth, preds)]))

    rng = np.random.default_rng(7)
    labels = ["cat", "dog", "fox", "other"]
    truth_labels = ["cat", "dog"]
    truth = ["cat" if rng.random() < 0.6 else "dog" for _ in range(160)]
    logits = rng.normal(0, 1, (160, 4))
    ti = np.array([labels.index(t) for t in truth])
    logits[np.arange(160), ti] += rng.normal(1.2, 1.0, 160)
    logits[:, 3] += 0.6  # the abstain option attracts mass
    z = np.exp(2.0 * (logits - logits.max(axis=1, keepdims=True)))
    probs = z / z.sum(axis=1, keepdims=True)
    preds = [labels[int(np.argmax(p))] for p in probs]
    cases.append(case("scored-abstain", "cat/dog truth, fox + 'other' (abstain) as extra candidates, probabilities",
                      labels, truth_labels, "other",
                      [{"truth": t, "prediction": p, "probabilities": [float(x) for x in pr]}
                       for t, p, pr in zip(truth, preds, probs)]))

    cases.append(case("all-abstain", "every answer abstains", ["cat", "dog", "unsure"], ["cat", "dog"], "unsure",
                      [{"truth": t, "prediction": "unsure"} for t in ["cat", "dog", "dog"]]))
    cases.append(case("truth-order-differs", "truth classes in candidate order, one truth class never in truth rows",
                      ["zebra", "ant", "bee", "cow"], ["ant", "cow"], None,
                      [{"truth": "ant", "prediction": "zebra"}, {"truth": "ant", "prediction": "ant"},
                       {"truth": "ant", "prediction": "cow"}, {"truth": "ant", "prediction": None},
                       {"truth": "ant", "prediction": "bee"}]))
    return cases


def main():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cases = build()
    doc = {"generatedBy": "scripts/golden-open-labels.py", "sklearn": sklearn.__version__, "numpy": np.__version__,
           "offLabelSentinel": OFF, "cases": cases}
    with open(OUT, "w") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")
    print(f"wrote {len(cases)} cases to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
