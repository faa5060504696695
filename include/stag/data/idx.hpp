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
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "stag/core/error.hpp"
#include "stag/data/dataset.hpp"
#include "stag/data/files.hpp"
#include "stag/data/resize.hpp"

namespace stag::data {

inline const std::string fashion_mnist_dir = "/usr/share/datasets/fashion-mnist";
inline const std::vector<std::string> fashion_mnist_classes{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                            "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

namespace detail {

// Reads a file's content as it streams out of gzip (one or more members), or as is when it is not gzip:
// read() fills exactly what is asked for, so a header is read before its payload is allocated.
class content_reader {
public:
    content_reader(const std::vector<std::uint8_t>& file, const std::string& name)
        : file_(file), name_(name), gzip_(file.size() >= 2 && file[0] == 0x1f && file[1] == 0x8b) {
        z_.next_in = const_cast<Bytef*>(file.data());
        z_.avail_in = static_cast<uInt>(file.size());
        if (gzip_ && inflateInit2(&z_, 15 + 16) != Z_OK) throw file_error(name, "cannot start gzip decompression");
    }
    content_reader(const content_reader&) = delete;
    content_reader& operator=(const content_reader&) = delete;
    ~content_reader() {
        if (gzip_) inflateEnd(&z_);
    }

    bool gzip() const { return gzip_; }
    std::size_t compressed_size() const { return file_.size(); }

    // Up to n bytes into out; returns how many there were.
    std::size_t read(std::uint8_t* out, std::size_t n) {
        if (!gzip_) {
            const std::size_t k = std::min(n, file_.size() - plain_at_);
            std::copy_n(file_.data() + plain_at_, k, out);
            plain_at_ += k;
            return k;
        }
        std::size_t done = 0;
        while (done < n && !finished_) {
            z_.next_out = out + done;
            z_.avail_out = static_cast<uInt>(std::min<std::size_t>(n - done, std::size_t{1} << 30));
            const int rc = inflate(&z_, Z_NO_FLUSH);
            done = static_cast<std::size_t>(z_.next_out - out);
            if (rc == Z_STREAM_END) {
                // Another gzip member may follow (a gzip file may be a concatenation).
                if (z_.avail_in >= 2 && z_.next_in[0] == 0x1f && z_.next_in[1] == 0x8b) inflateReset(&z_);
                else finished_ = true;
            } else if (rc == Z_BUF_ERROR && z_.avail_in == 0) {
                throw file_error(name_, "truncated or corrupt gzip data (unexpected end of file)");
            } else if (rc != Z_OK) {
                throw file_error(name_, std::string("truncated or corrupt gzip data (") + (z_.msg ? z_.msg : "zlib error") + ")");
            }
        }
        return done;
    }

    // Whether any content remains after what has been read.
    bool more() {
        std::uint8_t probe;
        return read(&probe, 1) == 1;
    }

private:
    const std::vector<std::uint8_t>& file_;
    const std::string& name_;
    bool gzip_, finished_ = false;
    std::size_t plain_at_ = 0;
    z_stream z_{};
};

inline std::uint32_t big_endian_u32(const std::uint8_t* p) {
    return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | std::uint32_t(p[3]);
}

// Reads and checks an IDX header of unsigned bytes with `dims` dimensions, then exactly the payload it
// promises — once it is clear the file can hold it — and checks that nothing follows.
inline std::pair<std::vector<std::size_t>, std::vector<std::uint8_t>> read_idx(const std::vector<std::uint8_t>& file, std::uint32_t dims,
                                                                                const std::string& name) {
    content_reader in(file, name);
    std::array<std::uint8_t, 16> header{};
    const std::size_t header_size = 4 + 4 * dims;
    if (in.read(header.data(), header_size) != header_size) throw file_error(name, "too short for an IDX header");
    const std::uint32_t magic = big_endian_u32(header.data()), expected = 0x0800u | dims;
    if (magic != expected) {
        char hex[64];
        std::snprintf(hex, sizeof hex, "wrong magic 0x%08X (expected 0x%08X", magic, expected);
        throw file_error(name, std::string(hex) + (dims == 3 ? ", IDX unsigned-byte images)" : ", IDX unsigned-byte labels)"));
    }
    std::vector<std::size_t> shape(dims);
    std::uint64_t payload = 1;
    for (std::uint32_t d = 0; d < dims; ++d) payload *= shape[d] = big_endian_u32(header.data() + 4 + 4 * d);
    if (dims == 3 && std::uint64_t{shape[1]} * shape[2] > max_pixels_per_image)
        throw file_error(name, "images of " + std::to_string(shape[1]) + "x" + std::to_string(shape[2]) + " pixels are larger than " +
                                   with_thousands(max_pixels_per_image) + " pixels");
    if (!in.gzip() && payload != in.compressed_size() - header_size)
        throw file_error(name, "header promises " + std::to_string(payload) + " bytes of data, file holds " +
                                   std::to_string(in.compressed_size() - header_size));
    if (in.gzip() && double(payload) > max_inflation * double(in.compressed_size()))
        throw file_error(name, "header promises " + with_thousands(payload) + " bytes of data, more than " + std::to_string(int(max_inflation)) +
                                   " times the " + with_thousands(in.compressed_size()) + " bytes of gzip data they came in: not a plausible IDX file");
    std::vector<std::uint8_t> data(payload);
    if (const std::size_t got = in.read(data.data(), data.size()); got != payload)
        throw file_error(name, "header promises " + std::to_string(payload) + " bytes of data, file holds " + std::to_string(got));
    if (in.more()) throw file_error(name, "holds more data than its header promises (" + with_thousands(payload) + " bytes)");
    return {shape, std::move(data)};
}

}  // namespace detail

struct idx_images {
    std::size_t count, rows, cols;
    std::vector<std::uint8_t> pixels;
};

// From a file's bytes (gzipped or plain); `name` names the file in errors.
inline idx_images parse_idx_images(const std::vector<std::uint8_t>& file, const std::string& name) {
    auto [dims, pixels] = detail::read_idx(file, 3, name);
    if (dims[1] == 0 || dims[2] == 0) throw file_error(name, "images of zero size");
    return {dims[0], dims[1], dims[2], std::move(pixels)};
}
inline std::vector<std::uint8_t> parse_idx_labels(const std::vector<std::uint8_t>& file, const std::string& name) {
    return detail::read_idx(file, 1, name).second;
}

inline idx_images read_idx_images(const std::string& path) { return parse_idx_images(read_file(path), path); }
inline std::vector<std::uint8_t> read_idx_labels(const std::string& path) { return parse_idx_labels(read_file(path), path); }

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
