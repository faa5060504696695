#pragma once
// Weights from any file stag reads — its own weights files, ONNX models, Keras HDF5 files — told apart by
// their first bytes, not their names; link stag::interop.
#include <cstddef>
#include <optional>
#include <string>

#include "stag/interop/keras.hpp"
#include "stag/interop/onnx.hpp"

namespace stag {

enum class weights_format { stag, onnx, keras_h5 };
// stag's magic "STAGWTS\n", HDF5's signature, and otherwise ONNX (a protobuf has no magic: its reader says
// whether it is one). A missing file or a directory is a file_error.
weights_format weights_format_of(const std::string& path);
std::string to_string(weights_format f);

// How many outputs the file's network ends in, where it says so without being matched against a network
// (an ONNX graph's declared output, a Keras file's last bias); nullopt otherwise, and for stag's own files,
// whose signature says it.
std::optional<std::size_t> outputs_in(const std::string& path);

// Loads a file of any of the three formats into the model (or network), with that format's checks.
template <class Model>
void load_weights_file(Model& m, const std::string& path) {
    switch (weights_format_of(path)) {
    case weights_format::stag: m.load(path); return;
    case weights_format::onnx: load_onnx(m, path); return;
    case weights_format::keras_h5: load_keras_h5(m, path); return;
    }
}

}  // namespace stag
