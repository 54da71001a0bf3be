#!/usr/bin/env python3
"""Fits the churn model and writes ../weights/model.safetensors and ../weights/model.json.

Standard library only, deterministic (fixed seed): running it again rewrites the same bytes.
The data is SYNTHETIC -- customers drawn from a made-up generating process -- so the model is
real (a fitted logistic regression) but says nothing about real customers.

    python3 examples/models/churn/training/fit.py

This directory is not part of the image: the example builds it with exclude: ["training/**"].
"""
import hashlib
import json
import math
import os
import random
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "weights")

FEATURES = [
    {"name": "tenure_months", "type": "number", "description": "months since the customer signed up"},
    {"name": "monthly_charges", "type": "number", "description": "current monthly bill, in dollars"},
    {"name": "support_tickets_90d", "type": "number", "description": "support tickets opened in the last 90 days"},
    {"name": "late_payments_12m", "type": "number", "description": "late payments in the last 12 months"},
    {"name": "annual_contract", "type": "boolean", "description": "on a one- or two-year contract (else month to month)"},
    {"name": "autopay", "type": "boolean", "description": "pays by automatic bank or card payment"},
]
SEED = 20240611
SAMPLES = 4000
L2 = 1e-3  # ridge penalty on the standardized coefficients (not the intercept)


def synthetic_customers(rng, n):
    """(features, churned) pairs from a made-up generating process."""
    rows = []
    for _ in range(n):
        annual = rng.random() < 0.45
        tenure = rng.randint(0, 72) if annual else rng.randint(0, 40)
        charges = round(rng.uniform(20, 120), 2)
        tickets = min(8, int(rng.expovariate(0.9)))
        late = min(6, int(rng.expovariate(1.4)))
        autopay = rng.random() < 0.5
        logit = (-0.4 - 0.05 * tenure + 0.025 * (charges - 70) + 0.5 * tickets + 0.4 * late
                 - 1.3 * annual - 0.7 * autopay)
        churned = rng.random() < 1 / (1 + math.exp(-logit))
        rows.append(([tenure, charges, tickets, late, float(annual), float(autopay)], churned))
    return rows


def solve(a, b):
    """Solves a x = b (a small dense system) by Gaussian elimination with partial pivoting."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(col + 1, n):
            f = m[r][col] / m[col][col]
            for c in range(col, n + 1):
                m[r][c] -= f * m[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][c] * x[c] for c in range(r + 1, n))) / m[r][r]
    return x


def fit(rows):
    """Logistic regression on standardized features, by Newton's method (IRLS)."""
    k = len(FEATURES)
    mean = [sum(x[j] for x, _ in rows) / len(rows) for j in range(k)]
    scale = [math.sqrt(sum((x[j] - mean[j]) ** 2 for x, _ in rows) / len(rows)) or 1.0 for j in range(k)]
    data = [([1.0] + [(x[j] - mean[j]) / scale[j] for j in range(k)], 1.0 if y else 0.0) for x, y in rows]
    w = [0.0] * (k + 1)
    for _ in range(25):
        grad = [0.0] * (k + 1)
        hess = [[0.0] * (k + 1) for _ in range(k + 1)]
        for z, y in data:
            p = 1 / (1 + math.exp(-sum(wi * zi for wi, zi in zip(w, z))))
            for i in range(k + 1):
                grad[i] += (p - y) * z[i]
                for j in range(k + 1):
                    hess[i][j] += p * (1 - p) * z[i] * z[j]
        for i in range(1, k + 1):
            grad[i] += L2 * len(data) * w[i]
            hess[i][i] += L2 * len(data)
        step = solve(hess, grad)
        w = [wi - si for wi, si in zip(w, step)]
        if max(abs(s) for s in step) < 1e-10:
            break
    loss = 0.0
    correct = 0
    for z, y in data:
        p = 1 / (1 + math.exp(-sum(wi * zi for wi, zi in zip(w, z))))
        loss -= y * math.log(p) + (1 - y) * math.log(1 - p)
        correct += (p >= 0.5) == (y == 1.0)
    return {"intercept": [w[0]], "coef": w[1:], "mean": mean, "scale": scale}, loss / len(data), correct / len(data)


def safetensors(tensors, metadata):
    """A safetensors file (https://github.com/huggingface/safetensors): little-endian F64 tensors."""
    header = {"__metadata__": metadata}
    body = b""
    for name in sorted(tensors):
        values = tensors[name]
        data = struct.pack("<%dd" % len(values), *values)
        header[name] = {"dtype": "F64", "shape": [len(values)], "data_offsets": [len(body), len(body) + len(data)]}
        body += data
    text = json.dumps(header, separators=(",", ":"), sort_keys=True).encode("utf-8")
    text += b" " * (-len(text) % 8)  # the data starts 8-byte aligned
    return struct.pack("<Q", len(text)) + text + body


def main():
    rows = synthetic_customers(random.Random(SEED), SAMPLES)
    tensors, loss, accuracy = fit(rows)
    blob = safetensors(tensors, {"format": "churn-logreg", "features": ",".join(f["name"] for f in FEATURES)})
    with open(os.path.join(OUT, "model.safetensors"), "wb") as f:
        f.write(blob)
    card = {
        "name": "churn-logreg",
        "version": "1",
        "kind": "logistic regression on standardized features: p = sigmoid(intercept + coef . (x - mean) / scale)",
        "features": FEATURES,
        "threshold": 0.5,
        "tensors": {"file": "model.safetensors", "sha256": hashlib.sha256(blob).hexdigest()},
        "training": {
            "data": "synthetic (training/fit.py), not real customers",
            "seed": SEED,
            "samples": SAMPLES,
            "l2": L2,
            "log_loss": round(loss, 4),
            "accuracy": round(accuracy, 4),
        },
    }
    with open(os.path.join(OUT, "model.json"), "w", encoding="utf-8") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
    print("wrote %d bytes of weights; log loss %.4f, accuracy %.4f" % (len(blob), loss, accuracy))


if __name__ == "__main__":
    main()
