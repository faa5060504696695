// save_onnx: a network's inference graph as an ONNX model (opset 13), in ONNX's NCHW convention.
#include <onnx/onnx_pb.h>  // onnx-ml.pb.h, with the ONNX_API it needs

#include <cstring>

#include "stag/core/atomic_file.hpp"
#include "stag/interop/impl/layouts.hpp"
#include "stag/interop/onnx.hpp"
#include "stag/kernels/conv/geometry.hpp"

namespace stag {

namespace {

constexpr std::int64_t exported_opset = 13;
constexpr std::int64_t exported_ir_version = 7;  // the IR version of opset 13

// The graph as it is written, node by node, with the layout of the value between nodes.
class graph_writer {
public:
    explicit graph_writer(onnx::GraphProto& g) : g_(g) {}

    // A value's shape: an NCHW map (4-D) or a vector per sample (2-D), and for a vector flattened from a map
    // without a Transpose, that map (its entries are then in ONNX's channel-major order).
    struct layout {
        bool map = true;
        onnx_io::flattened_map flattened{};
        bool channel_major = false;
    };

    void input(const std::string& name, shape s) {
        onnx::ValueInfoProto& v = *g_.add_input();
        v.set_name(name);
        tensor_type(v, s.flat() ? std::vector<std::int64_t>{-1, std::int64_t(s.c)}
                                : std::vector<std::int64_t>{-1, std::int64_t(s.c), std::int64_t(s.h), std::int64_t(s.w)});
        current_ = name;
        now.map = !s.flat();
    }
    void output(shape s) {
        // The last node's value is the graph's output, named for users.
        if (g_.node_size() == 0) node("Identity", "identity");  // a network of input and dropout only
        onnx::NodeProto& last = *g_.mutable_node(g_.node_size() - 1);
        last.set_output(0, "output");
        onnx::ValueInfoProto& v = *g_.add_output();
        v.set_name("output");
        tensor_type(v, now.map ? std::vector<std::int64_t>{-1, std::int64_t(s.c), std::int64_t(s.h), std::int64_t(s.w)}
                               : std::vector<std::int64_t>{-1, std::int64_t(s.c)});
    }

    // A node reading the current value (and the named initializers); its output becomes the current value.
    onnx::NodeProto& node(const std::string& op, const std::string& name, std::initializer_list<std::string> constants = {}) {
        onnx::NodeProto& n = *g_.add_node();
        n.set_op_type(op);
        n.set_name(name);
        n.add_input(current_);
        for (const std::string& c : constants) n.add_input(c);
        n.add_output(name);
        current_ = name;
        return n;
    }
    void initializer(const std::string& name, const std::vector<std::int64_t>& dims, const float* values, std::size_t n) {
        onnx::TensorProto& t = *g_.add_initializer();
        t.set_name(name);
        t.set_data_type(onnx::TensorProto::FLOAT);
        for (const std::int64_t d : dims) t.add_dims(d);
        t.set_raw_data(values, n * sizeof(float));
    }
    void initializer(const parameter_ref& p, const std::vector<std::int64_t>& dims) { initializer(p.name, dims, p.value, p.size); }
    void initializer(const parameter_ref& p, const std::vector<std::int64_t>& dims, const std::vector<float>& values) {
        initializer(p.name, dims, values.data(), values.size());
    }

    layout now;

private:
    static void tensor_type(onnx::ValueInfoProto& v, const std::vector<std::int64_t>& dims) {
        onnx::TypeProto::Tensor& t = *v.mutable_type()->mutable_tensor_type();
        t.set_elem_type(onnx::TensorProto::FLOAT);
        for (const std::int64_t d : dims) {
            auto& dim = *t.mutable_shape()->add_dim();
            if (d < 0) dim.set_dim_param("N");
            else dim.set_dim_value(d);
        }
    }
    onnx::GraphProto& g_;
    std::string current_;
};

void ints(onnx::NodeProto& n, const char* name, const std::vector<std::int64_t>& values) {
    onnx::AttributeProto& a = *n.add_attribute();
    a.set_name(name);
    a.set_type(onnx::AttributeProto::INTS);
    for (const std::int64_t v : values) a.add_ints(v);
}
void integer(onnx::NodeProto& n, const char* name, std::int64_t value) {
    onnx::AttributeProto& a = *n.add_attribute();
    a.set_name(name);
    a.set_type(onnx::AttributeProto::INT);
    a.set_i(value);
}
void real(onnx::NodeProto& n, const char* name, float value) {
    onnx::AttributeProto& a = *n.add_attribute();
    a.set_name(name);
    a.set_type(onnx::AttributeProto::FLOAT);
    a.set_f(value);
}

std::int64_t dim(std::size_t v) { return static_cast<std::int64_t>(v); }

// Whether the vector a flatten makes reaches a dense layer through element-wise entries only, so the dense
// kernel's rows can be reordered instead of the map transposed.
bool reaches_dense(const network_view& net, std::size_t flatten) {
    for (std::size_t i = flatten + 1; i < net.entries.size(); ++i) {
        const layer_kind k = net.entries[i].facts.kind;
        if (k == layer_kind::dense) return true;
        if (k != layer_kind::activation && k != layer_kind::dropout) return false;
    }
    return false;
}

void write_entry(graph_writer& w, const network_view& net, std::size_t i) {
    const entry_description& e = net.entries[i];
    const layer_facts& f = e.facts;
    const std::string label = net.label(i);
    const parameter_ref* t = e.tensors ? &(*net.tensors)[e.first_tensor] : nullptr;
    switch (f.kind) {
    case layer_kind::input:
    case layer_kind::dropout: return;  // dropout is the identity in inference
    case layer_kind::flatten: {
        const onnx_io::flattened_map map{e.input.h, e.input.w, e.input.c};
        const bool reorder_kernel = w.now.map && map.reorders() && reaches_dense(net, i);
        if (w.now.map && map.reorders() && !reorder_kernel) ints(w.node("Transpose", label + "/to_nhwc"), "perm", {0, 2, 3, 1});
        integer(w.node("Flatten", label), "axis", 1);
        w.now = {false, map, reorder_kernel};
        return;
    }
    case layer_kind::dense: {
        const std::size_t fan_in = e.input.size(), units = f.units;
        if (w.now.channel_major)
            w.initializer(t[0], {dim(fan_in), dim(units)}, onnx_io::rows_to_onnx_order({t[0].value, t[0].value + t[0].size}, units, w.now.flattened));
        else w.initializer(t[0], {dim(fan_in), dim(units)});
        w.initializer(t[1], {dim(units)});
        onnx::NodeProto& n = w.node("Gemm", label, {t[0].name, t[1].name});
        real(n, "alpha", 1.0f);
        real(n, "beta", 1.0f);
        w.now = {};
        w.now.map = false;
        return;
    }
    case layer_kind::conv2d: {
        const shape in = e.input, out = e.output;
        w.initializer(t[0], {dim(f.units), dim(in.c), dim(f.window_h), dim(f.window_w)},
                      onnx_io::permuted({t[0].value, t[0].value + t[0].size}, {f.window_h, f.window_w, in.c, f.units}, onnx_io::oihw_from_hwio));
        w.initializer(t[1], {dim(f.units)});
        onnx::NodeProto& n = w.node("Conv", label, {t[0].name, t[1].name});
        const std::size_t top = kernels::padding_before(in.h, out.h, f.window_h, f.stride_h), left = kernels::padding_before(in.w, out.w, f.window_w, f.stride_w);
        const auto after = [](std::size_t in_extent, std::size_t out_extent, std::size_t k, std::size_t s, std::size_t before) {
            const std::size_t reach = (out_extent - 1) * s + k;
            return reach > in_extent + before ? reach - in_extent - before : 0;
        };
        ints(n, "kernel_shape", {dim(f.window_h), dim(f.window_w)});
        ints(n, "strides", {dim(f.stride_h), dim(f.stride_w)});
        ints(n, "pads", {dim(top), dim(left), dim(after(in.h, out.h, f.window_h, f.stride_h, top)), dim(after(in.w, out.w, f.window_w, f.stride_w, left))});
        ints(n, "dilations", {1, 1});
        integer(n, "group", 1);
        return;
    }
    case layer_kind::max_pool:
    case layer_kind::average_pool: {
        onnx::NodeProto& n = w.node(f.kind == layer_kind::max_pool ? "MaxPool" : "AveragePool", label);
        ints(n, "kernel_shape", {dim(f.window_h), dim(f.window_w)});
        ints(n, "strides", {dim(f.stride_h), dim(f.stride_w)});
        ints(n, "pads", {0, 0, 0, 0});
        return;
    }
    case layer_kind::batch_norm: {
        // ONNX normalises axis 1: image rows or columns are moved there and back.
        const bool moved = f.axis != norm_axis::channels;
        const std::vector<std::int64_t> perm = f.axis == norm_axis::rows ? std::vector<std::int64_t>{0, 2, 1, 3} : std::vector<std::int64_t>{0, 3, 2, 1};
        if (moved) ints(w.node("Transpose", label + "/to_axis_1"), "perm", perm);
        const std::int64_t features = dim(t[0].size);
        for (std::size_t k = 0; k < 4; ++k) w.initializer(t[k], {features});
        onnx::NodeProto& n = w.node("BatchNormalization", label, {t[0].name, t[1].name, t[2].name, t[3].name});
        real(n, "epsilon", f.epsilon);
        real(n, "momentum", static_cast<float>(f.momentum));
        if (moved) ints(w.node("Transpose", label + "/back"), "perm", perm);  // both permutations are their own inverse
        return;
    }
    case layer_kind::activation:
        switch (f.function) {
        case function_kind::relu: w.node("Relu", label); return;
        case function_kind::leaky_relu: real(w.node("LeakyRelu", label), "alpha", f.alpha); return;
        case function_kind::elu: real(w.node("Elu", label), "alpha", f.alpha); return;
        case function_kind::sigmoid: w.node("Sigmoid", label); return;
        case function_kind::tanh: w.node("Tanh", label); return;
        case function_kind::none:
        case function_kind::custom: break;
        }
        break;
    case layer_kind::softmax: integer(w.node("Softmax", label), "axis", 1); return;
    case layer_kind::custom: break;
    }
    throw error("save_onnx: " + label + " is a custom layer or activation, which ONNX files cannot describe");
}

}  // namespace

void save_onnx(const network_view& net, const std::string& path) {
    onnx::ModelProto m;
    m.set_ir_version(exported_ir_version);
    onnx::OperatorSetIdProto& opset = *m.add_opset_import();
    opset.set_domain("");
    opset.set_version(exported_opset);
    m.set_producer_name("stag");
    m.set_producer_version(STAG_VERSION);
    const shape in = net.entries.front().output;
    const std::string input_layout = in.flat() ? "N x " + std::to_string(in.c)
                                               : "N x C x H x W = N x " + std::to_string(in.c) + " x " + std::to_string(in.h) + " x " + std::to_string(in.w) +
                                                     " (NCHW; stag's maps are NHWC, the same bytes for one channel)";
    m.set_doc_string("A stag network's inference graph: " + net.signature + ". Input 'input': float32 " + input_layout +
                     ", the values the network was trained on. Output 'output': float32 N x " + std::to_string(net.entries.back().output.c) + ".");
    onnx::StringStringEntryProto& signature = *m.add_metadata_props();
    signature.set_key("stag.signature");
    signature.set_value(net.signature);

    onnx::GraphProto& g = *m.mutable_graph();
    g.set_name("stag");
    graph_writer w(g);
    w.input("input", in);
    for (std::size_t i = 0; i < net.entries.size(); ++i) write_entry(w, net, i);
    w.output(net.entries.back().output);
    std::string bytes;
    if (!m.SerializeToString(&bytes)) throw file_error(path, "the ONNX model does not serialise (over protobuf's 2 GiB?)");
    write_file_atomically(path, bytes);
}

}  // namespace stag
