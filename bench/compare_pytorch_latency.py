#!/usr/bin/python3
"""One-image latency (predict on a single 32×32 image): stag against PyTorch, interleaved, in one run.

    bench/compare_pytorch_latency.py [--build build/release] [--threads N] [--rounds 3]

stag's rows are dense_bench's predict_one/model_relu and conv_bench's predict_one/cnn (a model planned for
batch 1, model::predict). The peer is the same network in eval mode under torch.inference_mode(), fed
(1, 1, 32, 32) tensors (model_relu: (1, 1024)); its time is the mean over ≥ 0.5 s of back-to-back calls after
a warm-up, as Google Benchmark times stag's. Both sides take the same 256 images in turn: Fashion-MNIST's
first test images where Debian's dataset-fashion-mnist is installed (stag's one-row kernels skip their zeros;
PyTorch's time does not depend on the values), else uniform noise. Rounds alternate stag / PyTorch so that
drifts in machine speed hit both alike; the table reports each side's best round and the ratio stag / PyTorch
(below 1: stag faster).
"""
import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import time

from compare_pytorch_cnn import FILTERS


FASHION_MNIST_TEST = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"


def latency_images(torch, count=256):
    """The images stag's predict_one rows take in turn (bench/latency.hpp): Fashion-MNIST's first test images
    framed to 32×32 and scaled to [0, 1] where installed, else uniform noise."""
    import numpy
    if os.path.exists(FASHION_MNIST_TEST):
        with gzip.open(FASHION_MNIST_TEST) as f:
            pixels = numpy.frombuffer(f.read(), dtype=numpy.uint8, count=count * 28 * 28, offset=16).reshape(count, 28, 28)
        framed = numpy.zeros((count, 32, 32), dtype=numpy.float32)
        framed[:, 2:30, 2:30] = pixels / 255.0
    else:
        framed = numpy.random.default_rng(1).uniform(0.001, 1.0, (count, 32, 32)).astype(numpy.float32)
    return torch.from_numpy(framed)


def peer_latency(net, threads):
    """Seconds per image; runs in a child process whose environment pins OpenBLAS to one thread."""
    import torch
    from torch import nn
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    if net == "model_relu":
        model = nn.Sequential(nn.Linear(1024, 300), nn.ReLU(), nn.Linear(300, 150), nn.ReLU(), nn.Linear(150, 10), nn.Softmax(dim=1))
    else:
        layers, channels = [], 1
        for i, filters in enumerate(FILTERS[net]):
            layers += [nn.Conv2d(channels, filters, 3, padding="same"), nn.ReLU(), nn.Dropout(0.3),
                       nn.BatchNorm2d(filters, momentum=0.01, eps=1e-3)]
            if i in (0, 2, 4):
                layers.append(nn.MaxPool2d(2))
            channels = filters
        layers += [nn.Flatten(), nn.Linear(4 * 4 * channels, 512), nn.ELU(), nn.Dropout(0.3), nn.Linear(512, 128), nn.ELU(),
                   nn.Linear(128, 10), nn.Softmax(dim=1)]
        model = nn.Sequential(*layers)
    images = latency_images(torch)
    inputs = [x.reshape(1, 1024) if net == "model_relu" else x.reshape(1, 1, 32, 32) for x in images]
    model.eval()
    with torch.inference_mode():
        for x in inputs[:20]:
            model(x)
        runs, start = 0, time.perf_counter()
        while runs < 20 or time.perf_counter() - start < 0.5:
            model(inputs[runs % len(inputs)])
            runs += 1
        return (time.perf_counter() - start) / runs


def run_peer(net, threads):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    out = subprocess.run([sys.executable, __file__, "--peer", net, str(threads)], check=True, env=env, capture_output=True,
                         text=True).stdout
    return float(out.strip().splitlines()[-1])


def run_stag(bench, net, threads):
    out = subprocess.run([bench, f"--benchmark_filter=^predict_one/{net}/threads:{threads}/", "--benchmark_format=json"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["benchmarks"][0]["latency"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--build", default=os.path.join(here, "../build/release"))
    parser.add_argument("--threads", type=int, default=os.cpu_count(),
                        help="threads on both sides (default: the machine's cores, as stag's --threads and PyTorch default to)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--peer", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peer:
        print(peer_latency(args.peer[0], int(args.peer[1])))
        return
    benches = {"model_relu": f"{args.build}/bench/dense_bench", "cnn": f"{args.build}/bench/conv_bench"}
    results = {net: {"stag": [], "pytorch": []} for net in benches}
    for r in range(args.rounds):
        for net, bench in benches.items():
            results[net]["stag"].append(run_stag(bench, net, args.threads))
            results[net]["pytorch"].append(run_peer(net, args.threads))
            print(f"round {r + 1}, {net}: stag {1e6 * results[net]['stag'][-1]:.1f} µs, "
                  f"pytorch {1e6 * results[net]['pytorch'][-1]:.1f} µs", flush=True)
    print(f"\nOne-image latency, {args.threads} thread(s), best of {args.rounds} interleaved rounds")
    print(f"{'network':>12} {'stag µs':>9} {'pytorch µs':>11} {'stag/pytorch':>13} {'median ratio':>13}")
    for net, r in results.items():
        ratios = [s / p for s, p in zip(r["stag"], r["pytorch"])]
        print(f"{net:>12} {1e6 * min(r['stag']):>9.1f} {1e6 * min(r['pytorch']):>11.1f} "
              f"{min(r['stag']) / min(r['pytorch']):>12.2f}x {statistics.median(ratios):>12.2f}x")


if __name__ == "__main__":
    main()
