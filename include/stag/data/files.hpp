#pragma once
// Reading data files whole, and the bounds every reader checks before a header makes it allocate.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "stag/core/error.hpp"
#include "stag/core/thousands.hpp"

namespace stag::data {

// Bounds on what a header may make a reader allocate, checked before anything is allocated. Real image
// data compresses a few times at most (Fashion-MNIST's IDX files 1.8:1, MNIST's 4.7:1); a header promising
// far more than its compressed bytes can plausibly hold is a damaged file or a decompression bomb.
inline constexpr double max_inflation = 200.0;
inline constexpr std::size_t max_pixels_per_image = std::size_t{1} << 26;  // 8192 × 8192

// A file's bytes, or a file_error naming it.
inline std::vector<std::uint8_t> read_file(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw file_error(path, "is a directory, not a data file");
    if (!std::filesystem::is_regular_file(path, ec)) throw file_error(path, std::filesystem::exists(path, ec) ? "not a regular file" : "no such file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw file_error(path, "cannot open");
    std::vector<std::uint8_t> bytes(std::filesystem::file_size(path, ec));
    if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()))) throw file_error(path, "cannot read");
    return bytes;
}


}  // namespace stag::data
