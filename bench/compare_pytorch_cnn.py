#!/usr/bin/python3
"""The HW4 CNN's training step (batch 64): stag against PyTorch, interleaved, in one run.

    bench/compare_pytorch_cnn.py [--bench build/release/bench/conv_bench] [--net cnn] [--rounds 3]
    bench/compare_pytorch_cnn.py --layers [--threads 1]   # per conv layer and pass, GFLOP/s side by side

Each round probes the FMA peak (conv_bench's peak_fma rows), times stag's train_step rows and then the
peer's, so drifts in machine speed hit both alike. The peer is get_net with Keras semantics: 3×3 same
convolutions + ReLU with L2 1e-2 added to the loss, Dropout 0.3, BatchNorm (Keras momentum 0.99 →
PyTorch 0.01, eps 1e-3), max-pooling, Dense 512 ELU, Dropout, Dense 128 ELU, softmax cross-entropy,
Adam (eps 1e-7). Debian's torch runs its convolutions on oneDNN; the peer is timed in both memory
formats (NCHW, channels_last) and reported at its best. OPENBLAS_NUM_THREADS=1 keeps OpenBLAS's pool
out of torch's way.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

FILTERS = {"cnn": (64, 128, 128, 256, 256), "cnn_half": (32, 64, 64, 128, 128)}
BATCH = 64


def peer_images_per_second(net, threads, channels_last, steps=12, warmup=3):
    """Runs in a child process whose environment pins OpenBLAS to one thread."""
    import torch
    from torch import nn
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    f = FILTERS[net]
    layers, channels = [], 1
    for i, filters in enumerate(f):
        layers += [nn.Conv2d(channels, filters, 3, padding="same"), nn.ReLU(), nn.Dropout(0.3),
                   nn.BatchNorm2d(filters, momentum=0.01, eps=1e-3)]
        if i in (0, 2, 4):
            layers.append(nn.MaxPool2d(2))
        channels = filters
    layers += [nn.Flatten(), nn.Linear(4 * 4 * f[4], 512), nn.ELU(), nn.Dropout(0.3), nn.Linear(512, 128), nn.ELU(),
               nn.Linear(128, 10)]
    model = nn.Sequential(*layers)
    kernels = [m.weight for m in model if isinstance(m, nn.Conv2d)]
    x = torch.rand(BATCH, 1, 32, 32)
    y = torch.randint(0, 10, (BATCH,))
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
        x = x.to(memory_format=torch.channels_last)
    opt = torch.optim.Adam(model.parameters(), lr=1e-5, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y) + 1e-2 * sum((w * w).sum() for w in kernels)
        loss.backward()
        opt.step()

    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return steps * BATCH / (time.perf_counter() - start)


def peer_conv_layers(net, threads, repeats=5):
    """GFLOP/s of torch's conv passes (oneDNN) for each conv layer of the net at batch 64: forward with
    bias + ReLU, backward-data and backward-weights through aten.convolution_backward, channels_last."""
    import torch
    torch.set_num_threads(threads)
    f, size, channels, out = FILTERS[net], 32, 1, {}
    for i, filters in enumerate(f):
        x = torch.rand(BATCH, channels, size, size).to(memory_format=torch.channels_last)
        w = torch.rand(filters, channels, 3, 3).to(memory_format=torch.channels_last)
        b = torch.rand(filters)
        dz = torch.rand(BATCH, filters, size, size).to(memory_format=torch.channels_last)
        flops = 2.0 * BATCH * size * size * 9 * channels * filters
        passes = {
            "forward": lambda: torch.relu(torch.nn.functional.conv2d(x, w, b, padding=1)),
            "backward_data": lambda: torch.ops.aten.convolution_backward(
                dz, x, w, [filters], [1, 1], [1, 1], [1, 1], False, [0, 0], 1, [True, False, False]),
            "backward_weights": lambda: torch.ops.aten.convolution_backward(
                dz, x, w, [filters], [1, 1], [1, 1], [1, 1], False, [0, 0], 1, [False, True, True]),
        }
        for name, run in passes.items():
            run()
            # Mean time over ≥ 0.5 s of back-to-back runs, as Google Benchmark reports stag's rows.
            runs, start = 0, time.perf_counter()
            while runs < repeats or time.perf_counter() - start < 0.5:
                run()
                runs += 1
            out[f"conv{i + 1}/{name}"] = flops * runs / (time.perf_counter() - start) / 1e9
        channels = filters
        if i in (0, 2, 4):
            size //= 2
    return out


def run_peer(net, threads, channels_last):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    out = subprocess.run([sys.executable, __file__, "--peer", net, str(threads), str(int(channels_last))], check=True,
                         env=env, capture_output=True, text=True).stdout
    return float(out.strip().splitlines()[-1])


def run_stag(bench, pattern):
    """{benchmark name: counters} for the conv_bench rows matching pattern."""
    out = subprocess.run([bench, f"--benchmark_filter={pattern}", "--benchmark_format=json"], check=True,
                         capture_output=True, text=True).stdout
    return {b["name"]: b for b in json.loads(out)["benchmarks"]}


def compare_layers(args):
    t = args.threads
    stag = run_stag(args.bench, f"^{args.net}/conv[1-5]/.*/threads:{t}/")
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    peer = json.loads(subprocess.run([sys.executable, __file__, "--peer-layers", args.net, str(t)], check=True, env=env,
                                     capture_output=True, text=True).stdout.strip().splitlines()[-1])
    print(f"{args.net}, batch {BATCH}, {t} thread(s): GFLOP/s (fraction of the FMA peak probed before each stag row)")
    print(f"{'layer/pass':>24} {'stag':>7} {'of peak':>8} {'pytorch':>8} {'stag/pytorch':>13}")
    for name, row in stag.items():
        key = name.split("/threads")[0].split("/", 1)[1]
        s, p = row["GFLOP/s"], peer[key]
        print(f"{key:>24} {s:>7.1f} {100 * row['of_peak']:>7.0f}% {p:>8.1f} {s / p:>12.2f}x")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--bench", default=os.path.join(here, "../build/release/bench/conv_bench"))
    parser.add_argument("--net", choices=sorted(FILTERS), default="cnn")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--layers", action="store_true", help="per conv layer and pass instead of the training step")
    parser.add_argument("--peer", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--peer-layers", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peer:
        print(peer_images_per_second(args.peer[0], int(args.peer[1]), bool(int(args.peer[2]))))
        return
    if args.peer_layers:
        print(json.dumps(peer_conv_layers(args.peer_layers[0], int(args.peer_layers[1]))))
        return
    if args.layers:
        compare_layers(args)
        return

    t = args.threads
    peaks, stag, peer = [], [], {False: [], True: []}
    for r in range(args.rounds):
        rows = run_stag(args.bench, f"^bench::peak_fma/threads:{t}/|^train_step/{args.net}/threads:{t}/")
        peaks.append(next(v["GFLOP/s"] for k, v in rows.items() if k.startswith("bench::peak_fma")))
        stag.append(next(v["images/s"] for k, v in rows.items() if k.startswith("train_step")))
        for channels_last in (False, True):
            peer[channels_last].append(run_peer(args.net, t, channels_last))
        print(f"round {r + 1}: peak {peaks[-1]:.0f} GFLOP/s, stag {stag[-1]:.1f} img/s, pytorch NCHW {peer[False][-1]:.1f}, "
              f"channels_last {peer[True][-1]:.1f} img/s", flush=True)

    best_format = max(peer, key=lambda k: max(peer[k]))
    best_peer = peer[best_format]
    ratios = [s / p for s, p in zip(stag, best_peer)]
    print(f"\n{args.net} training step, batch {BATCH}, {t} thread(s), best of {args.rounds} interleaved rounds")
    print(f"FMA peak probed in the same run: {max(peaks):.0f} GFLOP/s (min {min(peaks):.0f})")
    print(f"{'':>24} {'images/s':>9}")
    print(f"{'stag':>24} {max(stag):>9.1f}")
    print(f"{'pytorch (' + ('channels_last' if best_format else 'NCHW') + ')':>24} {max(best_peer):>9.1f}")
    print(f"ratio stag / pytorch: {max(stag) / max(best_peer):.2f}x (median of rounds {statistics.median(ratios):.2f}x)")


if __name__ == "__main__":
    main()
