#include "stag/interop/impl/onnx_graph.hpp"

#include <google/protobuf/io/coded_stream.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>

namespace stag::onnx_io {

namespace {
// The opsets whose ops stag has read: a later one may change an op's meaning, and before 6 ops carried
// consumed_inputs and legacy broadcasting.
constexpr std::int64_t oldest_opset = 6, newest_opset = 23;
// Protobuf's own limit for one message, and so ONNX's for a file that holds its tensors.
constexpr std::uintmax_t largest_file = std::uintmax_t{2} << 30;
constexpr std::size_t largest_rank = 8;
constexpr std::int64_t largest_tensor = std::int64_t{1} << 31;  // floats

std::string dims_text(const std::vector<std::int64_t>& dims) {
    if (dims.empty()) return "scalar";
    std::string s;
    for (std::size_t i = 0; i < dims.size(); ++i) s += (i ? "×" : "") + std::to_string(dims[i]);
    return s;
}
}  // namespace

std::string tensor::dims_text() const { return onnx_io::dims_text(dims); }

std::string describe(const onnx::NodeProto& node) {
    const std::string name = !node.name().empty() ? node.name() : node.output_size() ? "→" + node.output(0) : "(unnamed)";
    return "node '" + name + "' (" + node.op_type() + ")";
}

namespace {
std::string type_name(std::int32_t type) {
    return onnx::TensorProto::DataType_IsValid(type) ? onnx::TensorProto::DataType_Name(static_cast<onnx::TensorProto::DataType>(type))
                                                     : "code " + std::to_string(type);
}

// The checks every stored tensor passes, and its element count: `type` held in the file itself, whole,
// dims that describe a tensor stag can hold.
std::size_t checked_count(const onnx::TensorProto& t, onnx::TensorProto::DataType type, const std::string& what, const file_context& file) {
    if (t.data_type() != type) file.fail(what + " holds " + type_name(t.data_type()) + " values; stag reads " + type_name(type) + " here");
    if (t.data_location() == onnx::TensorProto::EXTERNAL || t.external_data_size() > 0)
        file.fail(what + " is stored in an external file; stag reads ONNX files that hold their tensors");
    if (t.has_segment()) file.fail(what + " is a segment of a tensor; stag reads whole tensors");
    if (static_cast<std::size_t>(t.dims_size()) > largest_rank) file.fail(what + " has " + std::to_string(t.dims_size()) + " dimensions");
    std::int64_t count = 1;
    for (const std::int64_t d : t.dims()) {
        if (d < 0 || (d > 0 && count > largest_tensor / d))
            file.fail(what + " has dims " + dims_text({t.dims().begin(), t.dims().end()}) + ", which do not describe a tensor stag can hold");
        count *= d;
    }
    return static_cast<std::size_t>(count);
}

// The values of a tensor of `n` elements of T, from raw_data (little-endian) or the typed field.
template <class T, class Field>
std::vector<T> stored_values(const onnx::TensorProto& t, const Field& field, std::size_t n, const std::string& what, const file_context& file) {
    static_assert(std::endian::native == std::endian::little, "ONNX's raw_data is little-endian");
    const std::string dims = dims_text({t.dims().begin(), t.dims().end()});
    if (!t.raw_data().empty()) {
        if (!field.empty()) file.fail(what + " holds its values twice (raw_data and a typed field)");
        if (t.raw_data().size() != n * sizeof(T))
            file.fail(what + " has dims " + dims + " (" + std::to_string(n) + " values) but " + std::to_string(t.raw_data().size()) + " bytes of data");
        std::vector<T> v(n);
        std::memcpy(v.data(), t.raw_data().data(), n * sizeof(T));
        return v;
    }
    if (static_cast<std::size_t>(field.size()) != n)
        file.fail(what + " has dims " + dims + " (" + std::to_string(n) + " values) but " + std::to_string(field.size()) + " values stored");
    return {field.begin(), field.end()};
}
}  // namespace

tensor decode(const onnx::TensorProto& t, const std::string& what, const file_context& file) {
    const std::size_t n = checked_count(t, onnx::TensorProto::FLOAT, what, file);
    return {{t.dims().begin(), t.dims().end()}, stored_values<float>(t, t.float_data(), n, what, file)};
}

std::vector<std::int64_t> decode_integers(const onnx::TensorProto& t, const std::string& what, const file_context& file) {
    const std::size_t n = checked_count(t, onnx::TensorProto::INT64, what, file);
    return stored_values<std::int64_t>(t, t.int64_data(), n, what, file);
}

attributes::attributes(const onnx::NodeProto& node, const file_context& file) : node_(node), file_(file) {}

const onnx::AttributeProto* attributes::find(const std::string& name, onnx::AttributeProto::AttributeType type) const {
    for (const onnx::AttributeProto& a : node_.attribute()) {
        if (a.name() != name) continue;
        // Files from before IR version 2 may leave the type unset; the field that is set then tells it.
        const bool matches = a.type() == type || (a.type() == onnx::AttributeProto::UNDEFINED &&
                                                  ((type == onnx::AttributeProto::INT && a.has_i()) || (type == onnx::AttributeProto::FLOAT && a.has_f()) ||
                                                   (type == onnx::AttributeProto::INTS && a.ints_size() > 0) ||
                                                   (type == onnx::AttributeProto::STRING && a.has_s())));
        if (!matches)
            file_.fail(describe(node_) + ": attribute '" + name + "' is of type " + onnx::AttributeProto::AttributeType_Name(a.type()) + ", not " +
                       onnx::AttributeProto::AttributeType_Name(type));
        return &a;
    }
    return nullptr;
}

std::optional<std::int64_t> attributes::integer(const std::string& name) const {
    if (const auto* a = find(name, onnx::AttributeProto::INT)) return a->i();
    return std::nullopt;
}
std::optional<float> attributes::real(const std::string& name) const {
    if (const auto* a = find(name, onnx::AttributeProto::FLOAT)) return a->f();
    return std::nullopt;
}
std::optional<std::vector<std::int64_t>> attributes::integers(const std::string& name) const {
    if (const auto* a = find(name, onnx::AttributeProto::INTS)) return std::vector<std::int64_t>(a->ints().begin(), a->ints().end());
    return std::nullopt;
}
std::optional<std::string> attributes::text(const std::string& name) const {
    if (const auto* a = find(name, onnx::AttributeProto::STRING)) return a->s();
    return std::nullopt;
}
void attributes::refuse_others(std::initializer_list<const char*> known) const {
    for (const onnx::AttributeProto& a : node_.attribute())
        if (std::none_of(known.begin(), known.end(), [&](const char* k) { return a.name() == k; }))
            file_.fail(describe(node_) + ": attribute '" + a.name() + "' is not one stag reads for " + node_.op_type());
}

std::optional<std::vector<std::int64_t>> static_dims(const onnx::ValueInfoProto& value, const file_context& file) {
    if (!value.has_type()) return std::nullopt;
    if (!value.type().has_tensor_type()) file.fail("value '" + value.name() + "' is not a tensor");
    const onnx::TypeProto::Tensor& t = value.type().tensor_type();
    if (t.elem_type() != onnx::TensorProto::FLOAT && t.elem_type() != onnx::TensorProto::UNDEFINED) {
        const std::string type = onnx::TensorProto::DataType_IsValid(t.elem_type())
                                     ? onnx::TensorProto::DataType_Name(static_cast<onnx::TensorProto::DataType>(t.elem_type()))
                                     : "code " + std::to_string(t.elem_type());
        file.fail("value '" + value.name() + "' holds " + type + " values; stag's networks take and give float32");
    }
    if (!t.has_shape()) return std::nullopt;
    std::vector<std::int64_t> dims;
    for (const auto& d : t.shape().dim()) dims.push_back(d.has_dim_value() ? d.dim_value() : -1);
    return dims;
}

window_attributes read_window(const onnx::NodeProto& node, const attributes& a, std::optional<std::array<std::size_t, 2>> kernel,
                              std::size_t in_h, std::size_t in_w, const file_context& file) {
    const std::string where = describe(node) + ": ";
    const auto pair = [&](const char* name, std::optional<std::vector<std::int64_t>> v, std::int64_t smallest,
                          std::array<std::size_t, 2> fallback) -> std::array<std::size_t, 2> {
        if (!v) return fallback;
        if (v->size() != 2) file.fail(where + name + " has " + std::to_string(v->size()) + " values; stag's layers are 2-D (H, W)");
        for (const std::int64_t x : *v)
            if (x < smallest || x > (std::int64_t{1} << 20)) file.fail(where + name + " holds " + std::to_string(x));
        return {static_cast<std::size_t>((*v)[0]), static_cast<std::size_t>((*v)[1])};
    };
    window_attributes w;
    const auto shape = a.integers("kernel_shape");
    if (!shape && !kernel) file.fail(where + "kernel_shape is missing");
    const std::array<std::size_t, 2> k = pair("kernel_shape", shape, 1, kernel.value_or(std::array<std::size_t, 2>{}));
    if (kernel && k != *kernel)
        file.fail(where + "kernel_shape " + dims_text({std::int64_t(k[0]), std::int64_t(k[1])}) + " differs from its weights' " +
                  dims_text({std::int64_t((*kernel)[0]), std::int64_t((*kernel)[1])}));
    w.kernel_h = k[0];
    w.kernel_w = k[1];
    const auto strides = pair("strides", a.integers("strides"), 1, {1, 1});
    w.stride_h = strides[0];
    w.stride_w = strides[1];
    if (const auto dilations = pair("dilations", a.integers("dilations"), 1, {1, 1}); dilations != std::array<std::size_t, 2>{1, 1})
        file.fail(where + "dilations " + std::to_string(dilations[0]) + "×" + std::to_string(dilations[1]) + ": stag's windows are not dilated");
    w.ceil_mode = a.integer_or("ceil_mode", 0) != 0;
    const std::string auto_pad = a.text("auto_pad").value_or("NOTSET");
    const auto explicit_pads = a.integers("pads");
    if (explicit_pads && auto_pad != "NOTSET") file.fail(where + "gives both pads and auto_pad " + auto_pad);
    const std::array<std::size_t, 2> in{in_h, in_w}, stride{w.stride_h, w.stride_w};
    if (explicit_pads) {
        if (explicit_pads->size() != 4) file.fail(where + "pads has " + std::to_string(explicit_pads->size()) + " values; 2-D windows take 4");
        for (std::size_t i = 0; i < 4; ++i) {
            const std::int64_t p = (*explicit_pads)[i];
            if (p < 0 || p >= std::int64_t(k[i % 2])) file.fail(where + "pads holds " + std::to_string(p) + " for a window of " + std::to_string(k[i % 2]));
            w.pads[i] = static_cast<std::size_t>(p);
        }
    } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
        for (std::size_t i = 0; i < 2; ++i) {
            const std::size_t out = (in[i] + stride[i] - 1) / stride[i], reach = (out - 1) * stride[i] + k[i];
            const std::size_t total = reach > in[i] ? reach - in[i] : 0, small = total / 2;
            w.pads[i] = auto_pad == "SAME_UPPER" ? small : total - small;
            w.pads[i + 2] = total - w.pads[i];
        }
    } else if (auto_pad != "NOTSET" && auto_pad != "VALID") {
        file.fail(where + "auto_pad '" + auto_pad + "' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID");
    }
    const std::array<std::size_t, 2> padded{in_h + w.pads[0] + w.pads[2], in_w + w.pads[1] + w.pads[3]};
    std::array<std::size_t, 2> out{};
    for (std::size_t i = 0; i < 2; ++i) {
        if (padded[i] < k[i]) file.fail(where + "its window of " + std::to_string(k[i]) + " is larger than the padded input of " + std::to_string(padded[i]));
        out[i] = (padded[i] - k[i] + (w.ceil_mode ? stride[i] - 1 : 0)) / stride[i] + 1;
    }
    w.out_h = out[0];
    w.out_w = out[1];
    return w;
}

chain parse_chain(const std::string& bytes, const file_context& file) {
    chain c;
    google::protobuf::io::CodedInputStream in(reinterpret_cast<const std::uint8_t*>(bytes.data()), static_cast<int>(bytes.size()));
    in.SetRecursionLimit(64);
    if (!c.model.ParseFromCodedStream(&in) || !in.ConsumedEntireMessage())
        file.fail("not an ONNX model: its protobuf does not parse (a truncated or corrupt file?)");
    if (c.model.ir_version() <= 0 || !c.model.has_graph()) file.fail("not an ONNX model: it has no IR version or no graph");
    for (const onnx::OperatorSetIdProto& o : c.model.opset_import())
        if (o.domain().empty() || o.domain() == "ai.onnx") c.opset = o.version();
    if (c.opset <= 0) file.fail("the model imports no opset of ONNX's default domain");
    if (c.opset < oldest_opset || c.opset > newest_opset)
        file.fail("opset " + std::to_string(c.opset) + ": stag reads opsets " + std::to_string(oldest_opset) + " to " + std::to_string(newest_opset));
    for (const onnx::StringStringEntryProto& p : c.model.metadata_props())
        if (p.key() == "stag.signature") c.signature = p.value();

    const onnx::GraphProto& g = c.model.graph();
    if (g.sparse_initializer_size() > 0) file.fail("the graph has sparse initializers; stag reads dense tensors");
    // Initializers, Constant nodes' values and Identities of either, by value name.
    std::map<std::string, const onnx::TensorProto*> constants;
    for (const onnx::TensorProto& t : g.initializer()) constants[t.name()] = &t;
    const auto constant = [&](const std::string& name) -> const onnx::TensorProto* {
        const auto it = constants.find(name);
        return it == constants.end() ? nullptr : it->second;
    };

    for (const onnx::ValueInfoProto& v : g.input())
        if (!constant(v.name())) {
            if (c.input) file.fail("the graph takes inputs '" + c.input->name() + "' and '" + v.name() + "'; stag's networks take one");
            c.input = &v;
        }
    if (!c.input) file.fail("the graph has no input that is not an initializer");
    std::string current = c.input->name();
    std::set<std::string> passed;  // values of the path before `current`
    for (const onnx::NodeProto& node : g.node()) {
        if (!node.domain().empty() && node.domain() != "ai.onnx")
            file.fail(describe(node) + " is of domain '" + node.domain() + "'; stag reads ONNX's default domain only");
        if (node.output_size() == 0 || node.output(0).empty()) file.fail(describe(node) + " has no output");
        if (node.op_type() == "Constant") {
            if (node.input_size() > 0) file.fail(describe(node) + " has inputs");
            const attributes a(node, file);
            a.refuse_others({"value"});
            const onnx::AttributeProto* value = nullptr;
            for (const onnx::AttributeProto& at : node.attribute())
                if (at.name() == "value") value = &at;
            if (!value || !value->has_t()) file.fail(describe(node) + ": stag reads Constant nodes whose value is a tensor");
            constants[node.output(0)] = &value->t();
            continue;
        }
        std::optional<std::size_t> data_at;
        std::vector<const onnx::TensorProto*> inputs(static_cast<std::size_t>(node.input_size()), nullptr);
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            const std::string& name = node.input(static_cast<int>(i));
            if (name.empty()) continue;  // an optional input left out
            if (name == current && !data_at) {
                data_at = i;
            } else if (const onnx::TensorProto* t = constant(name)) {
                inputs[i] = t;
            } else if (name == current || passed.count(name)) {
                file.fail(describe(node) + " reads '" + name + "', a value the path has already passed: stag's networks are chains, "
                          "without branches or skips");
            } else {
                file.fail(describe(node) + " reads '" + name + "', which no earlier node, graph input or initializer gives");
            }
        }
        if (!data_at) {
            // Identity of a constant: exporters deduplicate equal initializers this way.
            if (node.op_type() == "Identity" && inputs.size() == 1 && inputs[0]) {
                constants[node.output(0)] = inputs[0];
                continue;
            }
            file.fail(describe(node) + " computes from constants only; stag reads constants as initializers or Constant nodes");
        }
        if (*data_at != 0 && node.op_type() != "Add")
            file.fail(describe(node) + " takes the path's value as input " + std::to_string(*data_at) + "; stag reads it as input 0");
        if (*data_at != 0) std::swap(inputs[0], inputs[*data_at]);  // Add is commutative: the data first
        passed.insert(current);
        current = node.output(0);
        c.nodes.push_back({&node, std::move(inputs)});
    }
    if (g.output_size() != 1) file.fail("the graph has " + std::to_string(g.output_size()) + " outputs; stag's networks give one");
    c.output = &g.output(0);
    if (c.output->name() != current)
        file.fail("the graph's output '" + c.output->name() + "' is not the end of its path ('" + current + "')");
    return c;
}

std::string read_file(const std::string& path) {
    const file_context file(path);
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) file.fail("is a directory, not an ONNX file");
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec) file.fail("cannot open ONNX file (" + ec.message() + ")");
    if (size > largest_file) file.fail("is larger than 2 GiB, protobuf's limit for an ONNX file that holds its tensors");
    std::ifstream in(path, std::ios::binary);
    std::string bytes(static_cast<std::size_t>(size), '\0');
    if (!in || !in.read(bytes.data(), static_cast<std::streamsize>(size))) file.fail("cannot read ONNX file");
    return bytes;
}

chain read_chain(const std::string& path) { return parse_chain(read_file(path), file_context(path)); }

}  // namespace stag::onnx_io
