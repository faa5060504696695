#pragma once
// Inside stag::interop (not installed): an ONNX file read into the one path of nodes a chain of layers is,
// with every constant resolved and checked, and each node's attributes read into stag's terms. The import
// (onnx_import.cpp) and ONNX's conformance tests (tests/interop/) both walk what this gives.
#include <onnx/onnx_pb.h>  // onnx-ml.pb.h, with the ONNX_API it needs

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "stag/core/error.hpp"
#include "stag/graph/description.hpp"

namespace stag::onnx_io {

// A float32 tensor of the file, decoded (dims as stored, row-major values).
struct tensor {
    std::vector<std::int64_t> dims;
    std::vector<float> values;
    std::size_t size() const { return values.size(); }
    std::string dims_text() const;  // "300×150", "scalar"
};

// The errors of one file: every message names the file (and, through node_error, the node).
class file_context {
public:
    explicit file_context(std::string path) : path_(std::move(path)) {}
    const std::string& path() const { return path_; }
    [[noreturn]] void fail(const std::string& message) const { throw file_error(path_, message); }

private:
    std::string path_;
};

// "node '/0/Conv' (Conv)"
std::string describe(const onnx::NodeProto& node);

// A TensorProto as floats: float32 only (raw_data or float_data), stored in the file itself, dims that
// multiply out to the data present. `what` names it in errors ("node '/0/Conv' (Conv): W").
tensor decode(const onnx::TensorProto& t, const std::string& what, const file_context& file);
// The same for an int64 tensor (a Reshape's shape), dims and all.
std::vector<std::int64_t> decode_integers(const onnx::TensorProto& t, const std::string& what, const file_context& file);

// A node's attributes, each read once and checked for its type.
class attributes {
public:
    attributes(const onnx::NodeProto& node, const file_context& file);
    std::optional<std::int64_t> integer(const std::string& name) const;
    std::optional<float> real(const std::string& name) const;
    std::optional<std::vector<std::int64_t>> integers(const std::string& name) const;
    std::optional<std::string> text(const std::string& name) const;
    std::int64_t integer_or(const std::string& name, std::int64_t fallback) const { return integer(name).value_or(fallback); }
    float real_or(const std::string& name, float fallback) const { return real(name).value_or(fallback); }
    // An attribute the caller does not read is a refusal: an attribute stag does not know may change the op.
    void refuse_others(std::initializer_list<const char*> known) const;

private:
    const onnx::AttributeProto* find(const std::string& name, onnx::AttributeProto::AttributeType type) const;
    const onnx::NodeProto& node_;
    const file_context& file_;
};

// One node on the path: the data input is input 0 (the previous node's output, or the graph input), the
// others are constants.
struct path_node {
    const onnx::NodeProto* node;
    std::vector<const onnx::TensorProto*> constants;  // by input position; null for the data input and for "" (absent)
    bool has_input(std::size_t i) const { return i < constants.size() && constants[i]; }
};

// The whole file read as a chain: the graph's one data input, its nodes in order, its one output.
struct chain {
    onnx::ModelProto model;
    std::int64_t opset = 0;  // of the default domain
    const onnx::ValueInfoProto* input = nullptr;
    const onnx::ValueInfoProto* output = nullptr;
    std::vector<path_node> nodes;
    std::string signature;  // the stag.signature metadata of stag's own files, or empty
};

// A whole file's bytes, bounded by protobuf's 2 GiB limit; a directory or an unreadable file is a file_error.
std::string read_file(const std::string& path);
// Reads path: a model of ONNX's default domain whose nodes form one path from one input to one output, every
// other input of a node being an initializer, a Constant node or an Identity of one. Bounded by the file's
// size; anything else is a file_error naming what is wrong.
chain read_chain(const std::string& path);
// The same from bytes already in memory (the fuzz target).
chain parse_chain(const std::string& bytes, const file_context& file);

// load_onnx on a file's bytes already in memory (the fuzz target): `file` names them in errors.
void load_onnx_bytes(const network_view& net, const std::string& bytes, const file_context& file);

// The static dims of a value's tensor type (-1 for a symbolic or absent dim); nullopt if it has no shape.
std::optional<std::vector<std::int64_t>> static_dims(const onnx::ValueInfoProto& value, const file_context& file);

// What a node's spatial attributes say, for a 2-D window op (Conv, MaxPool, AveragePool) on an input of
// in_h × in_w: the window, strides, and the pads [top, left, bottom, right] (auto_pad resolved).
struct window_attributes {
    std::size_t kernel_h = 0, kernel_w = 0, stride_h = 1, stride_w = 1;
    std::array<std::size_t, 4> pads{};
    bool ceil_mode = false;
    std::size_t out_h = 0, out_w = 0;
};
// kernel: the window from the weights (Conv) or nullopt (pooling: kernel_shape must be given). Refuses
// dilations other than 1 and anything but 2-D windows.
window_attributes read_window(const onnx::NodeProto& node, const attributes& a, std::optional<std::array<std::size_t, 2>> kernel,
                              std::size_t in_h, std::size_t in_w, const file_context& file);

}  // namespace stag::onnx_io
