#pragma once
// Small generated data sets, good and corrupt, for the loader tests and the binaries' error tests.
#include <png.h>
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace stag::testing {

namespace fs = std::filesystem;

inline void write_bytes(const fs::path& path, const std::vector<std::uint8_t>& bytes, bool gzip) {
    fs::create_directories(path.parent_path());
    if (!gzip) {
        std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        return;
    }
    gzFile f = gzopen(path.string().c_str(), "wb");
    gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(f);
}

inline void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

// IDX images: count × rows × cols, pixel (i, r, c) = (i·7 + r + c) mod 256.
inline std::vector<std::uint8_t> idx_images(std::uint32_t count, std::uint32_t rows, std::uint32_t cols, std::uint32_t magic = 0x803) {
    std::vector<std::uint8_t> b;
    put_u32(b, magic);
    put_u32(b, count);
    put_u32(b, rows);
    put_u32(b, cols);
    for (std::uint32_t i = 0; i < count; ++i)
        for (std::uint32_t r = 0; r < rows; ++r)
            for (std::uint32_t c = 0; c < cols; ++c) b.push_back(static_cast<std::uint8_t>(i * 7 + r + c));
    return b;
}

inline std::vector<std::uint8_t> idx_labels(std::uint32_t count, std::uint8_t classes = 10) {
    std::vector<std::uint8_t> b;
    put_u32(b, 0x801);
    put_u32(b, count);
    for (std::uint32_t i = 0; i < count; ++i) b.push_back(static_cast<std::uint8_t>(i % classes));
    return b;
}

// A Fashion-MNIST-named IDX directory; `damage` picks what is wrong with it.
enum class idx_damage { none, truncated_gzip, wrong_magic, wrong_dimensions, count_mismatch };

inline void write_idx_dir(const fs::path& dir, idx_damage damage, std::uint32_t count = 12) {
    std::vector<std::uint8_t> images = idx_images(count, damage == idx_damage::wrong_dimensions ? 0 : 28, 28,
                                                  damage == idx_damage::wrong_magic ? 0x801 : 0x803);
    const std::vector<std::uint8_t> labels = idx_labels(damage == idx_damage::count_mismatch ? count - 1 : count);
    write_bytes(dir / "train-images-idx3-ubyte.gz", images, true);
    write_bytes(dir / "train-labels-idx1-ubyte.gz", labels, true);
    write_bytes(dir / "t10k-images-idx3-ubyte.gz", images, true);
    write_bytes(dir / "t10k-labels-idx1-ubyte.gz", labels, true);
    if (damage == idx_damage::truncated_gzip) {
        const fs::path p = dir / "train-images-idx3-ubyte.gz";
        fs::resize_file(p, fs::file_size(p) / 2);
    }
}

// An 8-bit grey PNG of the given pixels.
inline void write_png_pixels(const fs::path& path, std::uint32_t height, std::uint32_t width, const std::uint8_t* pixels) {
    fs::create_directories(path.parent_path());
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    image.width = width;
    image.height = height;
    image.format = PNG_FORMAT_GRAY;
    if (!png_image_write_to_file(&image, path.string().c_str(), 0, pixels, 0, nullptr))
        throw std::runtime_error("cannot write fixture " + path.string());
}

// An 8-bit grey PNG whose pixels are a gradient spanning [0, peak].
inline void write_png(const fs::path& path, std::uint32_t height, std::uint32_t width, std::uint8_t peak, std::uint32_t salt) {
    fs::create_directories(path.parent_path());
    std::vector<std::uint8_t> pixels(std::size_t{height} * width);
    for (std::uint32_t r = 0; r < height; ++r)
        for (std::uint32_t c = 0; c < width; ++c)
            pixels[std::size_t{r} * width + c] = static_cast<std::uint8_t>((std::size_t{peak} * ((r * 3 + c * 5 + salt * 11) % 64)) / 63);
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    image.width = width;
    image.height = height;
    image.format = PNG_FORMAT_GRAY;
    if (!png_image_write_to_file(&image, path.string().c_str(), 0, pixels.data(), 0, nullptr))
        throw std::runtime_error("cannot write fixture " + path.string());
}

// X-ray layout with a few images per class in each split. test_peak < 255 imitates the homework's
// test split that went through different pre-processing (e.g. saved in [0, 1] instead of [0, 255]).
inline void write_xray_dir(const fs::path& root, std::uint8_t test_peak = 255, std::size_t per_class = 3) {
    const char letters[] = {'b', 'c', 'l', 'h'};
    for (const char* split : {"train", "validation", "test"})
        for (std::size_t k = 0; k < 4; ++k)
            for (std::size_t i = 0; i < per_class; ++i) {
                const std::uint8_t peak = std::string(split) == "test" ? test_peak : 255;
                const std::uint32_t size = 24 + static_cast<std::uint32_t>(i) * 8;  // 24, 32, 40: any size is resized
                write_png(root / split / ("img" + std::to_string(k * 10 + i) + "_" + letters[k] + ".png"), size, size, peak,
                          static_cast<std::uint32_t>(k * 10 + i));
            }
}

}  // namespace stag::testing
