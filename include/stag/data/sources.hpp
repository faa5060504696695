#pragma once
// What a --data argument names: "fashion-mnist" (Debian's package), a folder of Fashion-MNIST's IDX
// files, or any other folder, read as the X-ray layout (train/ validation/ test/).
#include <filesystem>
#include <string>

#include "stag/data/idx.hpp"
#include "stag/data/xray.hpp"

namespace stag::data {

inline bool is_idx_source(const std::string& data) {
    return data == "fashion-mnist" || std::filesystem::exists(std::filesystem::path(data) / "train-images-idx3-ubyte.gz");
}

// The folder a source is read from.
inline std::string source_directory(const std::string& data) { return data == "fashion-mnist" ? fashion_mnist_dir : data; }

inline splits load_source(const std::string& data, shape input) {
    return is_idx_source(data) ? load_fashion_mnist(source_directory(data), input) : load_xray_folders(data, input);
}

}  // namespace stag::data
