#pragma once
// Small generated data sets, good and corrupt, for the loader tests and the binaries' error tests.
#include <png.h>
#include <zlib.h>

#include <csetjmp>
#include <cstdint>
#include <cstdio>
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
inline void write_png_pixels(const fs::path& path, std::uint32_t height, std::uint32_t width, const std::uint8_t* pixels,
                             std::uint32_t format = PNG_FORMAT_GRAY) {
    fs::create_directories(path.parent_path());
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    image.width = width;
    image.height = height;
    image.format = format;
    if (!png_image_write_to_file(&image, path.string().c_str(), 0, pixels, 0, nullptr))
        throw std::runtime_error("cannot write fixture " + path.string());
}

// A 16-bit grey PNG without colour-space chunks (as scanners and DICOM converters write them), through
// libpng's low-level API: the simplified one always records 16-bit data as linear light.
inline void write_png16(const fs::path& path, std::uint32_t height, std::uint32_t width, const std::uint16_t* pixels) {
    fs::create_directories(path.parent_path());
    FILE* f = std::fopen(path.string().c_str(), "wb");
    if (!f) throw std::runtime_error("cannot write fixture " + path.string());
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        std::fclose(f);
        throw std::runtime_error("cannot write fixture " + path.string());
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, width, height, 16, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    std::vector<std::uint8_t> row(2 * std::size_t{width});
    for (std::uint32_t r = 0; r < height; ++r) {
        for (std::uint32_t c = 0; c < width; ++c) {
            row[2 * c] = static_cast<std::uint8_t>(pixels[std::size_t{r} * width + c] >> 8);  // PNG stores big-endian
            row[2 * c + 1] = static_cast<std::uint8_t>(pixels[std::size_t{r} * width + c] & 0xff);
        }
        png_write_row(png, row.data());
    }
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    std::fclose(f);
}

// A PNG whose header claims width × height pixels but whose data is a few bytes: chunks written by hand.
inline void write_png_claiming(const fs::path& path, std::uint32_t width, std::uint32_t height) {
    const auto chunk = [](std::vector<std::uint8_t>& out, const char* type, const std::vector<std::uint8_t>& data) {
        put_u32(out, static_cast<std::uint32_t>(data.size()));
        std::vector<std::uint8_t> body(type, type + 4);
        body.insert(body.end(), data.begin(), data.end());
        out.insert(out.end(), body.begin(), body.end());
        put_u32(out, static_cast<std::uint32_t>(::crc32(0L, body.data(), static_cast<uInt>(body.size()))));
    };
    std::vector<std::uint8_t> png{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, ihdr;
    put_u32(ihdr, width);
    put_u32(ihdr, height);
    ihdr.insert(ihdr.end(), {8, 0, 0, 0, 0});  // 8-bit grey, no interlace
    chunk(png, "IHDR", ihdr);
    std::vector<std::uint8_t> raw(64, 0), packed(128);
    uLongf packed_size = packed.size();
    ::compress(packed.data(), &packed_size, raw.data(), raw.size());
    packed.resize(packed_size);
    chunk(png, "IDAT", packed);
    chunk(png, "IEND", {});
    write_bytes(path, png, false);
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

// A Fashion-MNIST-named directory whose training images are a gzip bomb: a header (promising `count`
// 28×28 images) followed by `zeros` bytes of zeros, as two gzip members. The other files are good.
inline void write_gzip_bomb_dir(const fs::path& dir, std::uint32_t count, std::uint64_t zeros) {
    write_idx_dir(dir, idx_damage::none);
    std::vector<std::uint8_t> header;
    put_u32(header, 0x803);
    put_u32(header, count);
    put_u32(header, 28);
    put_u32(header, 28);
    const fs::path path = dir / "train-images-idx3-ubyte.gz";
    write_bytes(path, header, true);
    gzFile f = gzopen(path.string().c_str(), "ab9");  // appending starts a second gzip member
    const std::vector<std::uint8_t> block(1 << 20, 0);
    for (std::uint64_t written = 0; written < zeros; written += block.size()) gzwrite(f, block.data(), static_cast<unsigned>(block.size()));
    gzclose(f);
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
