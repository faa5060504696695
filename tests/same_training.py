#!/usr/bin/env python3
"""Whether two study folders trained the same experiments bit for bit: the per-epoch history (timings
aside), the test figures and the weight files. Used to show a refactor changes no result:

    git worktree add /tmp/before <commit> && (build hw4 there)
    for side in before after; do <its hw4> --profile quick --only model_relu cnn_half --out /tmp/$side; done
    tests/same_training.py /tmp/before /tmp/after model_relu cnn_half
"""
import json
import sys
from pathlib import Path


def epochs(report):
    history = report["history"]
    rows = history["epochs"] if isinstance(history, dict) else history
    return [{k: v for k, v in row.items() if k not in ("seconds", "images_per_second")} for row in rows]


def main(before, after, names):
    same = True
    for name in names:
        a = json.loads((Path(before) / "runs" / f"{name}.json").read_text())
        b = json.loads((Path(after) / "runs" / f"{name}.json").read_text())
        weights = (Path(before) / "runs" / f"{name}.weights").read_bytes() == (Path(after) / "runs" / f"{name}.weights").read_bytes()
        checks = {"history": epochs(a) == epochs(b), "test": a["test"] == b["test"], "weights": weights}
        print(f"{name}: {len(epochs(a))} epochs; " + ", ".join(f"{k} {'identical' if v else 'DIFFERENT'}" for k, v in checks.items()))
        same = same and all(checks.values())
    return 0 if same else 1


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
