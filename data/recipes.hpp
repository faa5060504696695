#pragma once
// Dataset recipes: the data variants the hw4 study uses, built from the data a user has. Nothing here is
// large or committed; `stag-data` (data/stag_data.cpp) runs each recipe from the command line.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

namespace stag::recipes {

namespace fs = std::filesystem;

// The other pipeline the split-shift experiment runs the test split through, as the homework's test split
// went through one its training data never saw: exported by another tool with automatic window/level
// (each image's mean at mid-grey, ±3 standard deviations to black and white, as radiology viewers set a
// window from the image) and stored at half resolution (enlarged again on reading). One h×w grey image in,
// one out.
std::vector<std::uint8_t> other_export(const std::uint8_t* pixels, std::size_t h, std::size_t w);

// A copy of a Fashion-MNIST IDX directory whose test images went through other_export (train files copied).
void write_split_shift_idx(const fs::path& source, const fs::path& out);
// A copy of an X-ray root whose test PNGs went through other_export (train/ and validation/ copied).
void write_split_shift_xray(const fs::path& source, const fs::path& out);

// Fashion-MNIST framed to 32×32 and resampled to side×side (data/resize.hpp), as uint8 IDX files: what the
// loader feeds a network declared with input<side, side, 1>, for use outside stag.
void write_resized_idx(const fs::path& source, const fs::path& out, std::size_t side);

// A tiny X-ray-layout tree: per_class generated 8-bit PNGs per class letter in each split, of mixed sizes
// (24 to 48 pixels), each class a different pattern.
void write_xray_example(const fs::path& root, std::size_t per_class);

// IDX writers (gzip-compressed when the name ends in .gz).
void write_idx_images(const fs::path& path, std::size_t count, std::size_t rows, std::size_t cols, const std::uint8_t* pixels);
void write_idx_labels(const fs::path& path, const std::vector<std::uint8_t>& labels);

}  // namespace stag::recipes
