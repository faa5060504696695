#include <cstring>
#include <filesystem>
#include <fstream>

#include "stag/graph/serialization.hpp"
#include "stag/interop/impl/hdf5_file.hpp"
#include "stag/interop/impl/onnx_graph.hpp"
#include "stag/interop/weights.hpp"

namespace stag {

namespace {
constexpr char hdf5_signature[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
}

weights_format weights_format_of(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw file_error(path, "is a directory, not a weights file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw file_error(path, "cannot open weights file");
    char head[8] = {};
    in.read(head, sizeof head);
    if (in.gcount() == sizeof head && std::memcmp(head, weights_magic, sizeof head) == 0) return weights_format::stag;
    // HDF5's signature at offset 0 (files with a user block put it at 512, 1024, …; Keras writes none).
    if (in.gcount() == sizeof head && std::memcmp(head, hdf5_signature, sizeof head) == 0) return weights_format::keras_h5;
    return weights_format::onnx;
}

std::string to_string(weights_format f) {
    switch (f) {
    case weights_format::stag: return "stag weights";
    case weights_format::onnx: return "ONNX";
    case weights_format::keras_h5: return "Keras HDF5";
    }
    return "?";
}

std::optional<std::size_t> outputs_in(const std::string& path) {
    switch (weights_format_of(path)) {
    case weights_format::stag: return std::nullopt;
    case weights_format::onnx: {
        const onnx_io::chain c = onnx_io::read_chain(path);
        if (const auto dims = onnx_io::static_dims(*c.output, onnx_io::file_context(path)); dims && dims->size() == 2 && dims->back() > 0)
            return static_cast<std::size_t>(dims->back());
        return std::nullopt;
    }
    case weights_format::keras_h5: {
        const hdf5::file f(path);
        const bool whole_model = f.has_link(f.root(), "model_weights");
        const hdf5::handle group = whole_model ? f.open_group(f.root(), "model_weights") : hdf5::handle{};
        const hid_t root = whole_model ? group.id : f.root();
        std::optional<std::size_t> last;
        for (const std::string& layer : f.text_attribute(root, "layer_names", true)) {
            const hdf5::handle g = f.open_group(root, layer);
            for (const std::string& w : f.text_attribute(g.id, "weight_names", true))
                if (w.find("bias") != std::string::npos) {
                    const std::vector<std::size_t> dims = f.dataset_dims(f.open_dataset(g.id, w, "layer '" + layer + "'").id, w);
                    if (dims.size() == 1) last = dims[0];
                }
        }
        return last;
    }
    }
    return std::nullopt;
}

}  // namespace stag
