#!/usr/bin/python3
"""One full 55,000-image training epoch of model_relu: stag against PyTorch, interleaved, same machine.

    bench/compare_pytorch_mlp.py [--stag build/release/models/model_relu] [--rounds 3]

The peer is the same network with Keras semantics (truncated He-normal hidden layers, Glorot-uniform
output layer, zero biases, Adam lr 1e-5 with eps 1e-7, batch 64, a shuffle per epoch) at its best setting
on this Debian build: OPENBLAS_NUM_THREADS=1 so OpenBLAS's pool does not fight torch's, with
torch.set_num_threads(N). Runs alternate stag / PyTorch so that drifts in machine speed hit both alike;
the table reports the best epoch time of each and the ratio PyTorch / stag.
"""
import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

DATA = "/usr/share/datasets/fashion-mnist"


def load_fashion_mnist_train():
    with gzip.open(f"{DATA}/train-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
    with gzip.open(f"{DATA}/train-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    padded = np.zeros((len(images), 32, 32), np.float32)
    padded[:, 2:30, 2:30] = images / 255.0
    return padded[:55000].reshape(55000, 1024), labels[:55000].astype(np.int64)


def peer_epoch(threads, batch=64, seed=1):
    """Runs in a child process whose environment already pins OpenBLAS to one thread."""
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    x, y = load_fashion_mnist_train()
    x, y = torch.from_numpy(x), torch.from_numpy(y)

    def he_normal(layer):  # Keras: normal cut at ±2σ, σ = sqrt(2/fan_in)/0.8796
        std = (2.0 / layer.in_features) ** 0.5 / 0.87962566103423978
        torch.nn.init.trunc_normal_(layer.weight, std=std, a=-2 * std, b=2 * std)
        torch.nn.init.zeros_(layer.bias)

    l1, l2, l3 = torch.nn.Linear(1024, 300), torch.nn.Linear(300, 150), torch.nn.Linear(150, 10)
    he_normal(l1), he_normal(l2)
    torch.nn.init.xavier_uniform_(l3.weight), torch.nn.init.zeros_(l3.bias)
    net = torch.nn.Sequential(l1, torch.nn.ReLU(), l2, torch.nn.ReLU(), l3)
    opt = torch.optim.Adam(net.parameters(), lr=1e-5, eps=1e-7)
    loss_fn = torch.nn.CrossEntropyLoss()
    start = time.perf_counter()
    order = torch.randperm(len(x))
    for first in range(0, len(x), batch):
        idx = order[first:first + batch]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(x[idx]), y[idx])
        loss.backward()
        opt.step()
    return time.perf_counter() - start


def run_stag(binary, threads):
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([binary, "--epochs", "1", "--threads", str(threads), "--no-progress", "--out", out],
                       check=True, stdout=subprocess.DEVNULL)
        with open(f"{out}/model_relu.json") as f:
            return json.load(f)["history"][0]["seconds"]


def run_peer(threads):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    env.pop("OPENBLAS_CORETYPE", None), env.pop("OPENBLAS_L2_SIZE", None)
    out = subprocess.run([sys.executable, __file__, "--peer", str(threads)], check=True, env=env,
                         capture_output=True, text=True).stdout
    return float(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stag", default=os.path.join(os.path.dirname(__file__), "../build/release/models/model_relu"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--peer", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peer:
        print(peer_epoch(args.peer))
        return
    times = {(who, t): [] for who in ("stag", "pytorch") for t in (1, 2)}
    for r in range(args.rounds):
        for t in (2, 1):
            times[("stag", t)].append(run_stag(args.stag, t))
            times[("pytorch", t)].append(run_peer(t))
            print(f"round {r + 1}, {t} thread(s): stag {times[('stag', t)][-1]:.2f} s, "
                  f"pytorch {times[('pytorch', t)][-1]:.2f} s", flush=True)
    print("\nmodel_relu, one 55,000-image epoch, batch 64 (best of %d interleaved rounds)" % args.rounds)
    print(f"{'threads':>8} {'stag s':>8} {'pytorch s':>10} {'pytorch/stag':>13} {'median ratio':>13}")
    for t in (1, 2):
        s, p = times[("stag", t)], times[("pytorch", t)]
        ratios = [b / a for a, b in zip(s, p)]
        print(f"{t:>8} {min(s):>8.2f} {min(p):>10.2f} {min(p) / min(s):>12.2f}x {statistics.median(ratios):>12.2f}x")


if __name__ == "__main__":
    main()
