#!/usr/bin/env python3
"""PyTorch → ONNX → stag: torch equivalents of model_relu and cnn_half, trained one epoch on Fashion-MNIST,
exported with torch.onnx.export, and read into stag's compiled model_relu and cnn_half (tests/CMakeLists.txt,
label interop; docs/interop.md). stag's test accuracy must equal PyTorch's within 0.05 pp and its
probabilities PyTorch's within 1e-4, on the same test images (interop_check compare).

Debian's python3-torch is a benchmark peer (cmake/setup.sh --bench): without it this prints "skipped: …".

  pytorch_to_stag.py --interop-check BUILD/tests/interop_check --work DIR [--data DIR] [--test-images N] [--threads N]
"""
import argparse
import gzip
import os
import struct
import subprocess
import sys

try:
    import numpy as np
    import torch
    from torch import nn
except ImportError as e:
    print(f"skipped: {e.name} is not installed for {sys.executable} (cmake/setup.sh --bench installs python3-torch)")
    sys.exit(0)


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    (magic,) = struct.unpack(">I", data[:4])
    dims = struct.unpack(">" + "I" * (magic & 0xFF), data[4 : 4 + 4 * (magic & 0xFF)])
    return np.frombuffer(data, np.uint8, offset=4 + 4 * len(dims)).reshape(dims)


def split(data, name):
    """Images as stag's loader makes them: 28×28 centred in a 32×32 frame, scaled to [0, 1]; N × 1 × 32 × 32."""
    images = idx(os.path.join(data, f"{name}-images-idx3-ubyte.gz"))
    framed = np.zeros((len(images), 1, 32, 32), np.float32)
    framed[:, 0, 2:30, 2:30] = images / np.float32(255)
    return framed, idx(os.path.join(data, f"{name}-labels-idx1-ubyte.gz")).astype(np.int64)


def model_relu():
    return nn.Sequential(nn.Flatten(), nn.Linear(1024, 300), nn.ReLU(), nn.Linear(300, 150), nn.ReLU(), nn.Linear(150, 10), nn.Softmax(dim=1))


def cnn_half():
    """stag's cnn_half: conv 3×3 same + ReLU, dropout 0.3, batch norm (Keras' ε 1e-3 and momentum 0.99 are torch's
    eps=1e-3, momentum=0.01), max-pool after blocks 1, 3 and 5; Dense 512 ELU, dropout, Dense 128 ELU, softmax."""
    layers, channels = [], 1
    for i, filters in enumerate([32, 64, 64, 128, 128]):
        layers += [nn.Conv2d(channels, filters, 3, padding=1), nn.ReLU(), nn.Dropout(0.3), nn.BatchNorm2d(filters, eps=1e-3, momentum=0.01)]
        if i in (0, 2, 4):
            layers.append(nn.MaxPool2d(2))
        channels = filters
    layers += [nn.Flatten(), nn.Linear(128 * 4 * 4, 512), nn.ELU(), nn.Dropout(0.3), nn.Linear(512, 128), nn.ELU(), nn.Linear(128, 10), nn.Softmax(dim=1)]
    return nn.Sequential(*layers)


def train_one_epoch(net, x, y, seed):
    torch.manual_seed(seed)
    logits = net[:-1]  # the loss takes the logits; the exported graph ends in the softmax
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    net.train()
    order = torch.randperm(len(x))
    for first in range(0, len(x), 64):
        batch = order[first : first + 64]
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(logits(torch.from_numpy(x[batch.numpy()])), torch.from_numpy(y[batch.numpy()]))
        loss.backward()
        optimizer.step()
    net.eval()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--interop-check", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--test-images", type=int, default=10000)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    os.makedirs(a.work, exist_ok=True)
    train_x, train_y = split(a.data, "train")
    test_x, test_y = split(a.data, "t10k")
    test_x, test_y = test_x[: a.test_images], test_y[: a.test_images]
    images, labels = os.path.join(a.work, "test_images.f32"), os.path.join(a.work, "test_labels.u8")
    test_x.tofile(images)  # one channel: NCHW and stag's NHWC are the same bytes
    test_y.astype(np.uint8).tofile(labels)
    status = 0
    for name, make in (("model_relu", model_relu), ("cnn_half", cnn_half)):
        net = make()
        train_one_epoch(net, train_x, train_y, seed=1)
        with torch.no_grad():
            probabilities = net(torch.from_numpy(test_x)).numpy()
        accuracy = float((probabilities.argmax(1) == test_y).mean())
        onnx_file = os.path.join(a.work, f"{name}.onnx")
        torch.onnx.export(net, torch.zeros(1, 1, 32, 32), onnx_file, opset_version=13, input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {0: "N"}, "output": {0: "N"}})
        expected = os.path.join(a.work, f"{name}.torch.f32")
        probabilities.astype(np.float32).tofile(expected)
        print(f"{name}: PyTorch {torch.__version__}, one epoch on {len(train_x)} images, test accuracy {100 * accuracy:.2f} % on {len(test_x)}", flush=True)
        status |= subprocess.run([a.interop_check, "compare", "--variant", name, "--weights", onnx_file, "--images", images, "--labels", labels,
                                  "--probabilities", expected, "--tolerance", "1e-4", "--accuracy", repr(accuracy)]).returncode
    sys.exit(status)


if __name__ == "__main__":
    main()
