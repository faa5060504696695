#!/usr/bin/env python3
"""Keras 2 HDF5 files of HW4's networks, for stag's Keras reader (tests/CMakeLists.txt, label interop).

No Keras installs here (Debian has none), so these files are written with h5py in exactly the layout Keras 2's
own writer uses (keras/saving/legacy/hdf5_format.py: save_weights_to_hdf5_group, save_model_to_hdf5):

  model.save_weights  root attrs layer_names, backend, keras_version; one group per layer with a weight_names
                      attribute (an empty array for layers without weights) and one dataset per weight at the
                      path its name gives: <layer>/<layer>/kernel:0
  model.save          the same under model_weights/, and at the root model_config (the model's get_config as
                      JSON bytes), training_config, keras_version and backend

The weights are a stag weights file's (docs/formats.md), which holds Keras' layouts already; the configs are
what Keras' get_config gives for the networks as the homework's notebook builds them.

  keras_fixtures.py NET WEIGHTS OUT.h5 [--layout save|save_weights] [--defect NAME]
  NET: model_relu, new_a_model_bn, cnn_half; --defect writes a broken file (see DEFECTS) for the refusal tests.
"""
import argparse
import json
import struct
import sys

import h5py
import numpy as np

KERAS_VERSION = "2.11.0"
DEFECTS = ["float64", "missing_dataset", "no_layer_names", "config_not_json", "unknown_layer", "other_activation", "truncated"]


def read_stag_weights(path):
    """The tensors of a stag weights file, in order (docs/formats.md)."""
    b = open(path, "rb").read()
    if b[:8] != b"STAGWTS\n":
        sys.exit(f"{path}: not a stag weights file")
    at = 12  # magic, version
    (n,) = struct.unpack_from("<I", b, at)
    at += 4 + n
    (count,) = struct.unpack_from("<I", b, at)
    at += 4
    sizes = []
    for _ in range(count):
        (n,) = struct.unpack_from("<I", b, at)
        at += 4 + n
        (size,) = struct.unpack_from("<Q", b, at)
        at += 8
        sizes.append(size)
    tensors = []
    for size in sizes:
        tensors.append(np.frombuffer(b, "<f4", count=size, offset=at).copy())
        at += 4 * size
    return tensors


def initializer(name):
    return {"class_name": name, "config": {"seed": None} if name != "Zeros" else {}}


def dense(name, units, activation="linear", kernel_initializer="GlorotUniform"):
    return {"class_name": "Dense", "config": {
        "name": name, "trainable": True, "dtype": "float32", "units": units, "activation": activation, "use_bias": True,
        "kernel_initializer": initializer(kernel_initializer), "bias_initializer": initializer("Zeros"),
        "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
        "kernel_constraint": None, "bias_constraint": None}}


def conv2d(name, filters, l2, input_shape=None):
    config = {
        "name": name, "trainable": True, "dtype": "float32", "filters": filters, "kernel_size": [3, 3], "strides": [1, 1],
        "padding": "same", "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1, "activation": "relu",
        "use_bias": True, "kernel_initializer": initializer("GlorotUniform"), "bias_initializer": initializer("Zeros"),
        "kernel_regularizer": {"class_name": "L2", "config": {"l2": np.float32(l2).item()}}, "bias_regularizer": None,
        "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}
    if input_shape:
        config["batch_input_shape"] = [None, *input_shape]
    return {"class_name": "Conv2D", "config": config}


def simple(cls, name, **config):
    return {"class_name": cls, "config": {"name": name, "trainable": True, "dtype": "float32", **config}}


def batch_norm(name, axis):
    # Keras' get_config gives the axis as built: a list with the last axis counted from the front.
    return simple("BatchNormalization", name, axis=[axis], momentum=0.99,
                  epsilon=0.001, center=True, scale=True, beta_initializer=initializer("Zeros"), gamma_initializer=initializer("Ones"),
                  moving_mean_initializer=initializer("Zeros"), moving_variance_initializer=initializer("Ones"),
                  beta_regularizer=None, gamma_regularizer=None, beta_constraint=None, gamma_constraint=None)


def network(net, classes):
    """The Keras layers of NET, as a Sequential model's get_config lists them, and their weights' names."""
    if net == "model_relu":
        layers = [simple("Flatten", "flatten", data_format="channels_last", batch_input_shape=[None, 32, 32, 1]),
                  dense("dense", 300, "relu", "HeNormal"), dense("dense_1", 150, "relu", "HeNormal"), dense("dense_2", classes, "softmax")]
    elif net == "new_a_model_bn":
        layers = [simple("Flatten", "flatten", data_format="channels_last", batch_input_shape=[None, 32, 32, 1]),
                  dense("dense", 300, kernel_initializer="HeNormal"), simple("LeakyReLU", "leaky_re_lu", alpha=np.float32(0.1).item()),
                  batch_norm("batch_normalization", 1),
                  dense("dense_1", 150, kernel_initializer="HeNormal"), simple("LeakyReLU", "leaky_re_lu_1", alpha=np.float32(0.1).item()),
                  batch_norm("batch_normalization_1", 1), dense("dense_2", classes, "softmax")]
    elif net == "cnn_half":
        layers = []
        for i, filters in enumerate([32, 64, 64, 128, 128]):
            suffix = f"_{i}" if i else ""
            layers += [conv2d(f"conv2d{suffix}", filters, 0.01, [32, 32, 1] if i == 0 else None),
                       simple("Dropout", f"dropout{suffix}", rate=0.3, noise_shape=None, seed=None), batch_norm(f"batch_normalization{suffix}", 3)]
            if i in (0, 2, 4):
                pool = ["max_pooling2d", "max_pooling2d_1", "max_pooling2d_2"][i // 2]
                layers.append(simple("MaxPooling2D", pool, pool_size=[2, 2], padding="valid", strides=[2, 2], data_format="channels_last"))
        layers += [simple("Flatten", "flatten", data_format="channels_last"), dense("dense", 512, "elu"),
                   simple("Dropout", "dropout_5", rate=0.3, noise_shape=None, seed=None), dense("dense_1", 128, "elu"),
                   dense("dense_2", classes, "softmax")]
    else:
        sys.exit(f"unknown network {net}")
    return layers


def weight_names(layer):
    name, cls = layer["config"]["name"], layer["class_name"]
    if cls in ("Dense", "Conv2D"):
        return [f"{name}/kernel:0", f"{name}/bias:0"]
    if cls == "BatchNormalization":
        return [f"{name}/{w}:0" for w in ("gamma", "beta", "moving_mean", "moving_variance")]
    return []


def shaped(layer, leaf, values):
    """A stag tensor in the shape Keras gives it (stag stores Keras' layouts; its file stores only sizes)."""
    c = layer["config"]
    if leaf == "kernel" and layer["class_name"] == "Dense":
        return values.reshape(values.size // c["units"], c["units"])
    if leaf == "kernel":
        return values.reshape(3, 3, values.size // (9 * c["filters"]), c["filters"])
    return values


def text_list(names):
    return np.array([n.encode("utf8") for n in names]) if names else []


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("net")
    p.add_argument("weights")
    p.add_argument("out")
    p.add_argument("--layout", choices=["save", "save_weights"], default="save")
    p.add_argument("--defect", choices=DEFECTS)
    a = p.parse_args()

    tensors = read_stag_weights(a.weights)
    classes = tensors[-1].size
    layers = network(a.net, classes)
    if a.defect == "other_activation":
        for layer in layers:
            if layer["class_name"] == "Dense":
                layer["config"]["activation"] = "tanh"
                break
    with h5py.File(a.out, "w") as f:
        root = f.create_group("model_weights") if a.layout == "save" else f
        if a.defect != "no_layer_names":
            root.attrs["layer_names"] = text_list([layer["config"]["name"] for layer in layers])
        root.attrs["backend"] = b"tensorflow"
        root.attrs["keras_version"] = KERAS_VERSION.encode("utf8")
        at = 0
        for layer in layers:
            g = root.create_group(layer["config"]["name"])
            names = weight_names(layer)
            g.attrs["weight_names"] = text_list(names)
            for name in names:
                values = shaped(layer, name.split("/")[-1].split(":")[0], tensors[at])
                at += 1
                if a.defect == "missing_dataset" and at == 1:
                    continue
                dtype = "float64" if a.defect == "float64" and at == 1 else "float32"
                g.create_dataset(name, data=values.astype(dtype))
        if at != len(tensors):
            sys.exit(f"{a.weights}: {len(tensors)} tensors, the Keras {a.net} has {at}")
        if a.layout == "save":
            config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": layers}}
            if a.defect == "unknown_layer":
                config["config"]["layers"].insert(1, simple("GlobalAveragePooling2D", "global_average_pooling2d", data_format="channels_last"))
            f.attrs["model_config"] = b"{not json" if a.defect == "config_not_json" else json.dumps(config).encode("utf8")
            f.attrs["training_config"] = json.dumps({"loss": "categorical_crossentropy", "optimizer_config": {
                "class_name": "Adam", "config": {"learning_rate": 1e-5}}}).encode("utf8")
            f.attrs["keras_version"] = KERAS_VERSION.encode("utf8")
            f.attrs["backend"] = b"tensorflow"
            f.create_group("optimizer_weights")
    if a.defect == "truncated":
        data = open(a.out, "rb").read()
        open(a.out, "wb").write(data[: len(data) // 2])


if __name__ == "__main__":
    main()
