#pragma once
// IDX files (the MNIST family's format), plain or gzip-compressed (zlib reads both), and the
// Fashion-MNIST splits built from them: 28×28 images framed to 32×32, scaled to [0, 1] and resampled to
// the network's declared input.
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "stag/core/error.hpp"
#include "stag/data/dataset.hpp"
#include "stag/data/resize.hpp"

namespace stag::data {

inline const std::string fashion_mnist_dir = "/usr/share/datasets/fashion-mnist";
inline const std::vector<std::string> fashion_mnist_classes{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                            "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

namespace detail {

// The whole decompressed content of a (possibly gzipped) file.
inline std::vector<std::uint8_t> read_gz(const std::string& path) {
    if (!std::filesystem::is_regular_file(path)) throw file_error(path, "no such file");
    std::unique_ptr<gzFile_s, int (*)(gzFile)> f(gzopen(path.c_str(), "rb"), gzclose);
    if (!f) throw file_error(path, "cannot open");
    std::vector<std::uint8_t> bytes;
    std::array<std::uint8_t, 1 << 16> chunk;
    for (;;) {
        const int n = gzread(f.get(), chunk.data(), chunk.size());
        if (n < 0) {
            int code = 0;
            const char* msg = gzerror(f.get(), &code);
            throw file_error(path, std::string("corrupt gzip data (") + msg + ")");
        }
        if (n == 0) break;
        bytes.insert(bytes.end(), chunk.data(), chunk.data() + n);
    }
    // zlib reports a stream cut short only through gzerror once reading stops.
    int code = Z_OK;
    const char* msg = gzerror(f.get(), &code);
    if (code != Z_OK && code != Z_STREAM_END) throw file_error(path, std::string("truncated or corrupt gzip data (") + msg + ")");
    return bytes;
}

inline std::uint32_t big_endian_u32(const std::uint8_t* p) {
    return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | std::uint32_t(p[3]);
}

// Checks the magic (unsigned bytes, `dims` dimensions), returns the dimensions and the payload offset.
inline std::vector<std::size_t> idx_header(const std::vector<std::uint8_t>& bytes, std::uint32_t dims, const std::string& path) {
    if (bytes.size() < 4 + 4 * dims) throw file_error(path, "too short for an IDX header");
    const std::uint32_t magic = big_endian_u32(bytes.data()), expected = 0x0800u | dims;
    if (magic != expected) {
        char hex[64];
        std::snprintf(hex, sizeof hex, "wrong magic 0x%08X (expected 0x%08X", magic, expected);
        throw file_error(path, std::string(hex) + (dims == 3 ? ", IDX unsigned-byte images)" : ", IDX unsigned-byte labels)"));
    }
    std::vector<std::size_t> shape(dims);
    std::size_t payload = 1;
    for (std::uint32_t d = 0; d < dims; ++d) payload *= shape[d] = big_endian_u32(bytes.data() + 4 + 4 * d);
    if (bytes.size() - (4 + 4 * dims) != payload)
        throw file_error(path, "header promises " + std::to_string(payload) + " bytes of data, file holds " +
                                   std::to_string(bytes.size() - (4 + 4 * dims)));
    return shape;
}

}  // namespace detail

struct idx_images {
    std::size_t count, rows, cols;
    std::vector<std::uint8_t> pixels;
};

inline idx_images read_idx_images(const std::string& path) {
    std::vector<std::uint8_t> bytes = detail::read_gz(path);
    const auto dims = detail::idx_header(bytes, 3, path);
    if (dims[1] == 0 || dims[2] == 0) throw file_error(path, "images of zero size");
    return {dims[0], dims[1], dims[2], std::vector<std::uint8_t>(bytes.begin() + 16, bytes.end())};
}

inline std::vector<std::uint8_t> read_idx_labels(const std::string& path) {
    std::vector<std::uint8_t> bytes = detail::read_gz(path);
    detail::idx_header(bytes, 1, path);
    return std::vector<std::uint8_t>(bytes.begin() + 8, bytes.end());
}

// The MNIST family's 28×28 images are centred in a 32×32 frame first: the homework's input size.
inline constexpr std::size_t mnist_side = 28, framed_side = 32;

// Images and labels from a pair of IDX files, scaled to [0, 1] and resampled to `input` (H×W×1): a 28×28
// image is framed to 32×32 first, then every image is resized (data/resize.hpp) unless it already fits.
inline dataset read_idx_pair(const std::string& images_path, const std::string& labels_path,
                             const std::vector<std::string>& class_names, const std::string& name, shape input = {32, 32, 1}) {
    if (input.c != 1) throw error(name + ": IDX images are grey; the network takes " + std::to_string(input.c) + " channels");
    const idx_images im = read_idx_images(images_path);
    const std::vector<std::uint8_t> labels = read_idx_labels(labels_path);
    if (labels.size() != im.count)
        throw file_error(labels_path, std::to_string(labels.size()) + " labels for " + std::to_string(im.count) + " images in " + images_path);
    const bool framed = im.rows == mnist_side && im.cols == mnist_side;
    const std::size_t border = framed ? (framed_side - mnist_side) / 2 : 0;
    const std::size_t h = im.rows + 2 * border, w = im.cols + 2 * border;
    dataset d;
    d.name = name;
    d.sample = input;
    d.class_names = class_names;
    d.images.resize(im.count * input.size());
    d.labels.resize(im.count);
    std::vector<float> source(h * w, 0.0f);
    for (std::size_t i = 0; i < im.count; ++i) {
        const std::uint8_t label = labels[i];
        if (label >= class_names.size())
            throw file_error(labels_path, "label " + std::to_string(label) + " at index " + std::to_string(i) +
                                              " is not one of the " + std::to_string(class_names.size()) + " classes");
        d.labels[i] = label;
        const std::uint8_t* src = im.pixels.data() + i * im.rows * im.cols;
        for (std::size_t r = 0; r < im.rows; ++r)
            for (std::size_t c = 0; c < im.cols; ++c) source[(r + border) * w + c + border] = src[r * im.cols + c] * (1.0f / 255.0f);
        float* out = d.images.data() + i * input.size();
        resize_into(source.data(), h, w, out, input.h, input.w);
        for (float* v = out; v != out + input.size(); ++v) *v = std::clamp(*v, 0.0f, 1.0f);  // cubic filters overshoot
    }
    return d;
}

// train = first 55,000 training images, validation = last 5,000, test = the 10,000 test images.
inline splits load_fashion_mnist(const std::string& dir = fashion_mnist_dir, shape input = {32, 32, 1}) {
    if (!std::filesystem::is_directory(dir))
        throw file_error(dir, "no such directory (install Debian's dataset-fashion-mnist, or pass --data PATH)");
    const std::string train_images = dir + "/train-images-idx3-ubyte.gz", train_labels = dir + "/train-labels-idx1-ubyte.gz";
    splits s;
    s.train = read_idx_pair(train_images, train_labels, fashion_mnist_classes, "fashion-mnist/train", input);
    if (s.train.size() != 60000)
        throw file_error(train_images, "holds " + std::to_string(s.train.size()) + " images, Fashion-MNIST has 60000");
    s.validation = s.train.slice(55000, 5000, "fashion-mnist/validation");
    s.train.truncate(55000);
    s.test = read_idx_pair(dir + "/t10k-images-idx3-ubyte.gz", dir + "/t10k-labels-idx1-ubyte.gz", fashion_mnist_classes, "fashion-mnist/test", input);
    return s;
}

}  // namespace stag::data
