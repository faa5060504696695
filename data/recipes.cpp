#include "recipes.hpp"

#include <png.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "stag/core/atomic_file.hpp"
#include "stag/data/idx.hpp"
#include "stag/data/resize.hpp"
#include "stag/data/xray.hpp"

namespace stag::recipes {

namespace {

void put_u32(std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

void write_maybe_gzipped(const fs::path& path, const std::string& bytes) {
    fs::create_directories(path.parent_path());
    if (path.extension() != ".gz") {
        write_file_atomically(path.string(), bytes);
        return;
    }
    // gzip in memory (windowBits 15 + 16 selects the gzip wrapper), then one atomic write.
    z_stream z{};
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw file_error(path.string(), "cannot start gzip compression");
    std::string out(deflateBound(&z, static_cast<uLong>(bytes.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    z.avail_in = static_cast<uInt>(bytes.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    if (rc != Z_STREAM_END) throw file_error(path.string(), "gzip compression failed");
    write_file_atomically(path.string(), out);
}

std::uint8_t to_byte(float v) { return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0f, 255.0f))); }

void write_png_grey(const fs::path& path, std::size_t h, std::size_t w, const std::uint8_t* pixels) {
    fs::create_directories(path.parent_path());
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    image.width = static_cast<png_uint_32>(w);
    image.height = static_cast<png_uint_32>(h);
    image.format = PNG_FORMAT_GRAY;
    if (!png_image_write_to_file(&image, path.string().c_str(), 0, pixels, 0, nullptr))
        throw file_error(path.string(), std::string("cannot write PNG (") + image.message + ")");
}

void copy_tree(const fs::path& from, const fs::path& to) {
    fs::create_directories(to);
    fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

}  // namespace

std::vector<std::uint8_t> other_export(const std::uint8_t* pixels, std::size_t h, std::size_t w) {
    // Automatic window/level: the image's mean at mid-grey, ±3 standard deviations to black and white.
    double sum = 0.0, sum_sq = 0.0;
    for (std::size_t i = 0; i < h * w; ++i) {
        sum += pixels[i];
        sum_sq += double(pixels[i]) * pixels[i];
    }
    const double n = double(h * w), mean = sum / n, sd = std::max(1.0, std::sqrt(std::max(0.0, sum_sq / n - mean * mean)));
    std::vector<float> v(h * w);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(127.5 + 127.5 * (pixels[i] - mean) / (3.0 * sd));
    // Stored at half resolution, enlarged again when read.
    const std::size_t half_h = std::max<std::size_t>(1, h / 2), half_w = std::max<std::size_t>(1, w / 2);
    const std::vector<float> back = data::resize(data::resize(v, h, w, half_h, half_w), half_h, half_w, h, w);
    std::vector<std::uint8_t> out(h * w);
    std::transform(back.begin(), back.end(), out.begin(), to_byte);
    return out;
}

void write_idx_images(const fs::path& path, std::size_t count, std::size_t rows, std::size_t cols, const std::uint8_t* pixels) {
    std::string bytes;
    put_u32(bytes, 0x803);
    for (std::size_t d : {count, rows, cols}) put_u32(bytes, static_cast<std::uint32_t>(d));
    bytes.append(reinterpret_cast<const char*>(pixels), count * rows * cols);
    write_maybe_gzipped(path, bytes);
}

void write_idx_labels(const fs::path& path, const std::vector<std::uint8_t>& labels) {
    std::string bytes;
    put_u32(bytes, 0x801);
    put_u32(bytes, static_cast<std::uint32_t>(labels.size()));
    bytes.append(reinterpret_cast<const char*>(labels.data()), labels.size());
    write_maybe_gzipped(path, bytes);
}

void write_split_shift_idx(const fs::path& source, const fs::path& out) {
    fs::create_directories(out);
    for (const char* name : {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte.gz"})
        fs::copy_file(source / name, out / name, fs::copy_options::overwrite_existing);
    const data::idx_images test = data::read_idx_images((source / "t10k-images-idx3-ubyte.gz").string());
    std::vector<std::uint8_t> shifted(test.pixels.size());
    const std::size_t size = test.rows * test.cols;
    for (std::size_t i = 0; i < test.count; ++i) {
        const std::vector<std::uint8_t> image = other_export(test.pixels.data() + i * size, test.rows, test.cols);
        std::copy(image.begin(), image.end(), shifted.begin() + static_cast<std::ptrdiff_t>(i * size));
    }
    write_idx_images(out / "t10k-images-idx3-ubyte.gz", test.count, test.rows, test.cols, shifted.data());
}

void write_split_shift_xray(const fs::path& source, const fs::path& out) {
    copy_tree(source / "train", out / "train");
    copy_tree(source / "validation", out / "validation");
    fs::create_directories(out / "test");
    for (const auto& entry : fs::directory_iterator(source / "test")) {
        if (!entry.is_regular_file()) continue;
        std::string ext = entry.path().extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
        if (ext != ".png") continue;
        const data::grey_image g = data::read_png_grey(entry.path().string());
        std::vector<std::uint8_t> bytes(g.pixels.size());
        std::transform(g.pixels.begin(), g.pixels.end(), bytes.begin(), to_byte);
        write_png_grey(out / "test" / entry.path().filename(), g.height, g.width, other_export(bytes.data(), g.height, g.width).data());
    }
}

void write_resized_idx(const fs::path& source, const fs::path& out, std::size_t side) {
    const data::splits s = data::load_fashion_mnist(source.string(), {side, side, 1});
    const auto write = [&](const std::string& prefix, const std::vector<const data::dataset*>& parts) {
        std::vector<std::uint8_t> pixels, labels;
        for (const data::dataset* d : parts) {
            for (float v : d->images) pixels.push_back(to_byte(v * 255.0f));
            labels.insert(labels.end(), d->labels.begin(), d->labels.end());
        }
        write_idx_images(out / (prefix + "-images-idx3-ubyte.gz"), labels.size(), side, side, pixels.data());
        write_idx_labels(out / (prefix + "-labels-idx1-ubyte.gz"), labels);
    };
    write("train", {&s.train, &s.validation});
    write("t10k", {&s.test});
}

void write_xray_example(const fs::path& root, std::size_t per_class) {
    const char* letters = "bclh";
    for (const char* split : {"train", "validation", "test"})
        for (std::size_t k = 0; k < 4; ++k)
            for (std::size_t i = 0; i < per_class; ++i) {
                const std::size_t side = 24 + 8 * (i % 4);
                // Each class its own pattern: b a disc, c vertical bars, l horizontal bars, h a checkerboard.
                std::vector<std::uint8_t> grey(side * side);
                for (std::size_t r = 0; r < side; ++r)
                    for (std::size_t c = 0; c < side; ++c) {
                        const double y = (double(r) + 0.5) / double(side) - 0.5, x = (double(c) + 0.5) / double(side) - 0.5;
                        const double phase = 0.15 * double(i);
                        const bool on = k == 0 ? x * x + y * y < 0.09 + 0.01 * double(i % 3)
                                        : k == 1 ? std::sin(18.0 * x + phase) > 0
                                        : k == 2 ? std::sin(18.0 * y + phase) > 0
                                                 : (std::sin(12.0 * x + phase) > 0) != (std::sin(12.0 * y) > 0);
                        grey[r * side + c] = static_cast<std::uint8_t>((on ? 200 : 40) + (r * 7 + c * 3 + i) % 16);
                    }
                const fs::path file = root / split / (std::string(split) + "_" + std::to_string(i) + "_" + letters[k] + ".png");
                write_png_grey(file, side, side, grey.data());
            }
}

}  // namespace stag::recipes
