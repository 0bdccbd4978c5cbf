#!/usr/bin/python3
"""Writes tests/golden/bootstrap-golden.json: numpy reference values for the paired bootstrap CI of an accuracy difference.

Why: pairedBootstrapCi (src/main/evals/paired-bootstrap.ts) is checked against an independent implementation.
Run with Debian's numpy (apt-get install -y python3-numpy):  /usr/bin/python3 scripts/golden-bootstrap.py
Two checks, since the TypeScript seed cannot reproduce numpy's generator:
  * "indexed": numpy draws an explicit resample index list; the test feeds that very list to resampleMeans and
    percentileInterval and must match numpy's per-resample means and its percentile CI exactly;
  * "converged": numpy's CI from 400 000 resamples; the seeded TypeScript CI (100 000 resamples) must land within
    one lattice step (1/n) of it. The outcomes are strongly paired, so an unpaired bootstrap would miss by ~4 steps.
Percentiles: numpy.percentile default (method='linear').
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "golden", "bootstrap-golden.json")


def outcomes(both_right, only_a, only_b, both_wrong, rng):
    """Paired per-sample correctness, shuffled so the order carries no structure."""
    pairs = [(1, 1)] * both_right + [(1, 0)] * only_a + [(0, 1)] * only_b + [(0, 0)] * both_wrong
    order = rng.permutation(len(pairs))
    ok_a = [bool(pairs[i][0]) for i in order]
    ok_b = [bool(pairs[i][1]) for i in order]
    return ok_a, ok_b


def percentile_ci(means, level):
    tail = (1 - level) / 2 * 100
    return float(np.percentile(means, tail)), float(np.percentile(means, 100 - tail))


def main():
    rng = np.random.default_rng(20240601)
    cases = {}

    ok_a, ok_b = outcomes(38, 6, 11, 5, rng)
    d = np.array(ok_b, dtype=np.int64) - np.array(ok_a, dtype=np.int64)
    n = len(d)
    resamples = 500
    idx = rng.integers(0, n, size=(resamples, n))
    means = d[idx].mean(axis=1)
    low, high = percentile_ci(means, 0.95)
    low90, high90 = percentile_ci(means, 0.90)
    cases["indexed"] = {
        "okA": ok_a, "okB": ok_b, "resamples": resamples, "indices": idx.reshape(-1).tolist(),
        "diff": float(d.mean()), "means": means.tolist(),
        "ci95": {"low": low, "high": high}, "ci90": {"low": low90, "high": high90},
    }

    ok_a, ok_b = outcomes(150, 10, 20, 20, rng)
    d = np.array(ok_b, dtype=np.int8) - np.array(ok_a, dtype=np.int8)
    n = len(d)
    resamples = 400_000
    chunks = []
    for _ in range(resamples // 20_000):
        chunks.append(d[rng.integers(0, n, size=(20_000, n))].astype(np.int64).sum(axis=1) / n)
    means = np.concatenate(chunks)
    low, high = percentile_ci(means, 0.95)
    # What an (incorrect) unpaired bootstrap would give, recorded to show the tolerance can tell them apart.
    a = np.array(ok_a, dtype=np.float64)
    b = np.array(ok_b, dtype=np.float64)
    unpaired = b[rng.integers(0, n, size=(100_000, n))].mean(axis=1) - a[rng.integers(0, n, size=(100_000, n))].mean(axis=1)
    ulow, uhigh = percentile_ci(unpaired, 0.95)
    cases["converged"] = {
        "okA": ok_a, "okB": ok_b, "resamples": resamples, "diff": float(d.astype(np.int64).mean()),
        "ci95": {"low": low, "high": high}, "unpairedCi95": {"low": ulow, "high": uhigh}, "tolerance": 1 / n + 1e-9,
    }

    with open(OUT, "w") as f:
        json.dump({"generator": "scripts/golden-bootstrap.py", "numpy": np.__version__, "cases": cases}, f)
        f.write("\n")
    print(OUT, {k: v["ci95"] for k, v in cases.items()}, cases["converged"]["unpairedCi95"])


if __name__ == "__main__":
    main()
