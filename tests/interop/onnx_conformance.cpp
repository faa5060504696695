// ONNX's own conformance data (Debian's libonnx-testdata: ONNX's node tests, a one-node model with its inputs
// and expected outputs as TensorProtos) through stag's import and kernels, for every node test of an op stag
// reads. Each test's node becomes a one-layer stag network (its data input the network's input, its other
// inputs constants), is loaded with load_onnx — the import's own checks and layout conversions — and is run by
// stag's kernel on the NHWC form of the input; the output, turned back to ONNX's layout, must match ONNX's
// within its backend tests' tolerance (rtol 1e-3, atol 1e-7). A node the import refuses is skipped with the
// import's reason; one the import reads and the kernel gets wrong fails the run.
//   onnx_conformance --data /usr/share/libonnx-testdata/data/node --work DIR [--table FILE]
#include <fmt/core.h>
#include <onnx/onnx_pb.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>

#include "stag/interop/impl/layouts.hpp"
#include "stag/interop/impl/onnx_graph.hpp"
#include "stag/interop/onnx.hpp"
#include "stag/stag.hpp"

namespace fs = std::filesystem;
using namespace stag;

namespace {

// The ops stag reads (docs/interop.md), and those it reads only in the places its export writes them.
const std::vector<std::string> stag_ops{"Conv", "Gemm", "MatMul", "MaxPool", "AveragePool", "BatchNormalization", "Relu", "LeakyRelu", "Elu",
                                        "Sigmoid", "Tanh", "Softmax", "Flatten", "Dropout", "Identity"};
const std::map<std::string, std::string> ops_read_in_place{
    {"Add", "stag reads Add only as the bias after a MatMul (a dense layer)"},
    {"Transpose", "stag reads Transpose only where its export writes one: NCHW → NHWC before a Flatten, around batch norm over image rows or columns"},
    {"Reshape", "stag reads Reshape only as the flatten of an NCHW map to (N, features)"}};

struct outcome {
    enum kind { pass, skip, fail } result;
    std::string detail;
};
struct skip_test : std::runtime_error {
    using std::runtime_error::runtime_error;
};

onnx::TensorProto read_tensor(const fs::path& p) {
    onnx::TensorProto t;
    std::ifstream in(p, std::ios::binary);
    if (!t.ParseFromIstream(&in)) throw std::runtime_error(p.string() + ": not a TensorProto");
    return t;
}
onnx_io::tensor floats(const onnx::TensorProto& t, const std::string& what) {
    if (t.data_type() != onnx::TensorProto::FLOAT)
        throw skip_test(what + " holds " + onnx::TensorProto::DataType_Name(static_cast<onnx::TensorProto::DataType>(t.data_type())) +
                        " values; stag computes in float32");
    return onnx_io::decode(t, what, onnx_io::file_context(what));
}
// The product of the dims from `from` on.
std::size_t product(const std::vector<std::int64_t>& d, std::size_t from = 0) {
    std::size_t p = 1;
    for (auto it = d.begin() + std::ptrdiff_t(std::min(from, d.size())); it != d.end(); ++it) p *= static_cast<std::size_t>(*it);
    return p;
}
std::int64_t integer_attribute(const onnx::NodeProto& n, const std::string& name, std::int64_t fallback) {
    for (const auto& a : n.attribute())
        if (a.name() == name) return a.i();
    return fallback;
}
float real_attribute(const onnx::NodeProto& n, const std::string& name, float fallback) {
    for (const auto& a : n.attribute())
        if (a.name() == name) return a.f();
    return fallback;
}

// A network of an input and at most one layer, built at run time, with its tensors.
struct one_layer_network {
    std::vector<entry_description> entries;
    std::vector<aligned_buffer> storage;
    std::vector<parameter_ref> tensors;

    one_layer_network(shape in, std::optional<entry_description> layer, const std::vector<std::pair<const char*, std::size_t>>& layer_tensors = {}) {
        entry_description input{"input", {.kind = layer_kind::input}, layer_role::input, in, in};
        entries.push_back(input);
        if (!layer) return;
        layer->first_tensor = 0;
        layer->tensors = layer_tensors.size();
        entries.push_back(*layer);
        for (const auto& [name, size] : layer_tensors) storage.emplace_back(size + kernels::epilogue_over_read);  // a bias is read in whole panels
        for (std::size_t i = 0; i < layer_tensors.size(); ++i)
            tensors.push_back({std::string("1:") + layer->name + "/" + layer_tensors[i].first, storage[i].data(), nullptr, layer_tensors[i].second});
    }
    network_view view() const { return {"", entries, &tensors}; }
    const float* tensor(std::size_t i) const { return storage[i].data(); }
};

// What one node test runs: the network its node is, how its input dims are presented to stag (a reshape
// that keeps the op's meaning: element-wise ops and last-axis softmax see (rows, features)), and the kernel.
struct stag_form {
    std::unique_ptr<one_layer_network> net;
    std::optional<std::vector<std::int64_t>> input_dims, output_dims;  // the graph's dims as stag takes them
    std::function<std::vector<float>(const std::vector<float>& nhwc_or_flat, const one_layer_network&)> run;
    bool map_input = false;  // the input is an NCHW map (converted to NHWC for stag); otherwise as it is
    std::optional<float> softmax_axis;
};

template <class F>
std::vector<float> activation_of(const std::vector<float>& x) {
    aligned_buffer in(x.size()), out(x.size());
    std::copy(x.begin(), x.end(), in.data());
    kernels::activation_forward<F>(x.size(), in.data(), out.data());
    return {out.data(), out.data() + x.size()};
}
// The element-wise kernels stag has: α is a compile-time ratio, so this runner holds those ONNX's tests use.
std::function<std::vector<float>(const std::vector<float>&)> elementwise(const std::string& op, float alpha, layer_facts& facts) {
    facts.kind = layer_kind::activation;
    const auto with = [&](auto* f, function_kind k) -> std::function<std::vector<float>(const std::vector<float>&)> {
        using F = std::remove_pointer_t<decltype(f)>;
        facts.function = k;
        facts.alpha = function_facts<F>::alpha;
        return activation_of<F>;
    };
    if (op == "Relu") return with(static_cast<fn::relu*>(nullptr), function_kind::relu);
    if (op == "Sigmoid") return with(static_cast<fn::sigmoid*>(nullptr), function_kind::sigmoid);
    if (op == "Tanh") return with(static_cast<fn::tanh*>(nullptr), function_kind::tanh);
    if (op == "LeakyRelu" && alpha == ratio_value<std::ratio<1, 10>>) return with(static_cast<fn::leaky_relu<std::ratio<1, 10>>*>(nullptr), function_kind::leaky_relu);
    if (op == "LeakyRelu" && alpha == ratio_value<std::ratio<1, 100>>) return with(static_cast<fn::leaky_relu<std::ratio<1, 100>>*>(nullptr), function_kind::leaky_relu);
    if (op == "Elu" && alpha == 1.0f) return with(static_cast<fn::elu<std::ratio<1>>*>(nullptr), function_kind::elu);
    if (op == "Elu" && alpha == 2.0f) return with(static_cast<fn::elu<std::ratio<2>>*>(nullptr), function_kind::elu);
    throw skip_test("alpha " + std::to_string(alpha) + ": stag's α is a compile-time ratio, and this runner instantiates 0.1 and 0.01 (LeakyRelu), 1 and 2 (Elu)");
}

stag_form form_of(const onnx::ModelProto& model, const std::vector<onnx_io::tensor>& inputs) {
    const onnx::NodeProto& node = model.graph().node(0);
    const std::string& op = node.op_type();
    const std::vector<std::int64_t>& dims = inputs.at(0).dims;
    const std::size_t rank = dims.size();
    stag_form f;
    const auto vector_input = [&](std::size_t features) {
        f.input_dims = std::vector<std::int64_t>{std::int64_t(product(dims) / features), std::int64_t(features)};
        f.output_dims = f.input_dims;
        return shape{1, 1, features};
    };
    const auto map_of = [&]() {
        if (rank != 4) throw skip_test("a rank-" + std::to_string(rank) + " input: stag's maps are N × C × H × W");
        f.map_input = true;
        return shape{std::size_t(dims[2]), std::size_t(dims[3]), std::size_t(dims[1])};
    };
    if (op == "Relu" || op == "Sigmoid" || op == "Tanh" || op == "LeakyRelu" || op == "Elu") {
        layer_facts facts;
        const auto kernel = elementwise(op, real_attribute(node, "alpha", op == "Elu" ? 1.0f : 0.01f), facts);
        const shape in = vector_input(rank ? product(dims, 1) : 1);
        f.net = std::make_unique<one_layer_network>(in, entry_description{op, facts, layer_role::compute, in, in});
        f.run = [kernel](const std::vector<float>& x, const one_layer_network&) { return kernel(x); };
    } else if (op == "Softmax") {
        const std::int64_t opset = model.opset_import(0).version();
        std::int64_t axis = integer_attribute(node, "axis", opset >= 13 ? -1 : 1);
        if (axis < 0) axis += std::int64_t(rank);
        // Before opset 13 Softmax normalises the input coerced to 2-D at the axis; from 13 the axis alone.
        if (opset >= 13 && axis != std::int64_t(rank) - 1)
            throw skip_test("a softmax over axis " + std::to_string(axis) + " of a rank-" + std::to_string(rank) + " tensor: stag's normalises a vector (the last axis)");
        const std::size_t features = product(dims, std::size_t(axis));
        const shape in = vector_input(features);
        if (opset >= 13 || axis == 1) f.softmax_axis = -1;  // the same softmax on the (rows, features) form
        f.net = std::make_unique<one_layer_network>(in, entry_description{op, {.kind = layer_kind::softmax}, layer_role::output_softmax, in, in});
        f.run = [features](const std::vector<float>& x, const one_layer_network&) {
            aligned_buffer in(x.size()), out(x.size());
            std::copy(x.begin(), x.end(), in.data());
            kernels::softmax_rows(x.size() / features, features, in.data(), out.data());
            return std::vector<float>(out.data(), out.data() + x.size());
        };
    } else if (op == "Dropout" || op == "Identity") {
        const shape in = vector_input(rank ? product(dims, 1) : 1);
        std::optional<entry_description> layer;
        if (op == "Dropout") layer = entry_description{op, {.kind = layer_kind::dropout}, layer_role::compute, in, in};
        f.net = std::make_unique<one_layer_network>(in, layer);
        f.run = [](const std::vector<float>& x, const one_layer_network&) { return x; };
    } else if (op == "Flatten") {
        std::int64_t axis = integer_attribute(node, "axis", 1);
        if (axis < 0) axis += std::int64_t(rank);
        if (axis != 1) throw skip_test("a flatten at axis " + std::to_string(axis) + ": stag flattens all but the batch (axis 1)");
        const shape in = map_of();
        const shape out{1, 1, in.size()};
        f.net = std::make_unique<one_layer_network>(in, entry_description{op, {.kind = layer_kind::flatten}, layer_role::view, in, out});
        // stag's flatten is a view of its NHWC map; ONNX's vector is the NCHW map's: the import's reordering, applied.
        f.run = [in](const std::vector<float>& x, const one_layer_network&) {
            const onnx_io::flattened_map map{in.h, in.w, in.c};
            std::vector<float> y(x.size());
            for (std::size_t n = 0; n < x.size() / in.size(); ++n)
                for (std::size_t i = 0; i < in.size(); ++i) y[n * in.size() + i] = x[n * in.size() + map.stag_index(i)];
            return y;
        };
    } else if (op == "Gemm" || op == "MatMul") {
        if (rank != 2 || inputs.size() < 2 || inputs[1].dims.size() != 2)
            throw skip_test("a " + op + " of rank-" + std::to_string(rank) + " tensors: stag's dense takes a batch of vectors");
        const bool trans_b = integer_attribute(node, "transB", 0) != 0;
        const std::size_t k = std::size_t(dims[1]), units = std::size_t(trans_b ? inputs[1].dims[0] : inputs[1].dims[1]);
        const shape in{1, 1, k}, out{1, 1, units};
        f.input_dims = dims;
        f.output_dims = std::vector<std::int64_t>{dims[0], std::int64_t(units)};
        f.net = std::make_unique<one_layer_network>(in, entry_description{op, {.kind = layer_kind::dense, .units = units}, layer_role::compute, in, out},
                                                    std::vector<std::pair<const char*, std::size_t>>{{"kernel", k * units}, {"bias", units}});
        f.run = [k, units](const std::vector<float>& x, const one_layer_network& net) {
            const std::size_t m = x.size() / k;
            aligned_buffer a(x.size()), y(m * units), workspace(kernels::gemm_workspace_floats(m, units, k));
            std::copy(x.begin(), x.end(), a.data());
            using kernels::matrix_cref;
            kernels::gemm({m, units, k, matrix_cref::row_major(a.data(), k), matrix_cref::row_major(net.tensor(0), units), {y.data(), units}},
                          workspace.data(), kernels::bias_activation<fn::linear>{net.tensor(1)});
            return std::vector<float>(y.data(), y.data() + m * units);
        };
    } else if (op == "Conv") {
        const shape in = map_of();
        if (inputs.size() < 2 || inputs[1].dims.size() != 4) throw skip_test("a Conv whose weights are not 4-D");
        const std::vector<std::int64_t>& w = inputs[1].dims;
        const std::size_t filters = std::size_t(w[0]), kh = std::size_t(w[2]), kw = std::size_t(w[3]);
        const onnx_io::file_context file("conformance");
        const onnx_io::attributes a(node, file);
        const onnx_io::window_attributes win = onnx_io::read_window(node, a, std::array<std::size_t, 2>{kh, kw}, in.h, in.w, file);
        if (win.stride_h != win.stride_w)
            throw skip_test("strides " + std::to_string(win.stride_h) + "×" + std::to_string(win.stride_w) + ": stag's conv has one stride");
        const std::size_t s = win.stride_h;
        const std::size_t same_h = (in.h + s - 1) / s, same_w = (in.w + s - 1) / s;
        const bool valid = win.pads == std::array<std::size_t, 4>{};
        const bool same = win.out_h == same_h && win.out_w == same_w && win.pads[0] == kernels::padding_before(in.h, same_h, kh, s) &&
                          win.pads[1] == kernels::padding_before(in.w, same_w, kw, s);
        if (!valid && !same)
            throw skip_test("pads " + std::to_string(win.pads[0]) + "," + std::to_string(win.pads[1]) + "," + std::to_string(win.pads[2]) + "," +
                            std::to_string(win.pads[3]) + ": neither Keras' 'same' nor 'valid' padding, the two stag's conv has");
        const shape out{win.out_h, win.out_w, filters};
        const layer_facts facts{.kind = layer_kind::conv2d, .units = filters, .window_h = kh, .window_w = kw, .stride_h = s, .stride_w = s,
                                .pads = same ? padding::same : padding::valid};
        f.net = std::make_unique<one_layer_network>(in, entry_description{op, facts, layer_role::compute, in, out},
                                                    std::vector<std::pair<const char*, std::size_t>>{{"kernel", kh * kw * in.c * filters}, {"bias", filters}});
        f.run = [in, out, facts](const std::vector<float>& x, const one_layer_network& net) {
            const std::size_t batch = x.size() / in.size();
            const kernels::conv_geometry g{batch, in.h, in.w, in.c, out.h, out.w, facts.units, facts.window_h, facts.window_w, facts.stride_h,
                                           facts.pads == padding::same ? kernels::padding_before(in.h, out.h, facts.window_h, facts.stride_h) : 0,
                                           facts.pads == padding::same ? kernels::padding_before(in.w, out.w, facts.window_w, facts.stride_w) : 0};
            aligned_buffer input(x.size()), y(batch * out.size()), frame(g.input_frame_floats()), workspace(kernels::conv_workspace_floats(g));
            std::copy(x.begin(), x.end(), input.data());
            kernels::conv_forward(g, {input.data(), net.tensor(0), y.data(), frame.data()}, workspace.data(), kernels::bias_activation<fn::linear>{net.tensor(1)});
            return std::vector<float>(y.data(), y.data() + batch * out.size());
        };
    } else if (op == "MaxPool" || op == "AveragePool") {
        const shape in = map_of();
        const onnx_io::file_context file("conformance");
        const onnx_io::attributes a(node, file);
        const onnx_io::window_attributes win = onnx_io::read_window(node, a, std::nullopt, in.h, in.w, file);
        const shape out{(in.h - win.kernel_h) / win.stride_h + 1, (in.w - win.kernel_w) / win.stride_w + 1, in.c};  // Keras' valid windows
        const bool max = op == "MaxPool";
        const layer_facts facts{.kind = max ? layer_kind::max_pool : layer_kind::average_pool, .window_h = win.kernel_h, .window_w = win.kernel_w,
                                .stride_h = win.stride_h, .stride_w = win.stride_w};
        f.net = std::make_unique<one_layer_network>(in, entry_description{op, facts, layer_role::compute, in, out});
        f.run = [in, out, facts, max](const std::vector<float>& x, const one_layer_network&) {
            const std::size_t batch = x.size() / in.size();
            const kernels::pool_geometry g{batch, in.h, in.w, in.c, out.h, out.w, facts.window_h, facts.window_w, facts.stride_h, facts.stride_w};
            aligned_buffer input(x.size()), y(batch * out.size()), argmax(batch * out.size());
            std::copy(x.begin(), x.end(), input.data());
            if (max) kernels::max_pool_forward(g, input.data(), y.data(), argmax.data());
            else kernels::average_pool_forward(g, input.data(), y.data());
            return std::vector<float>(y.data(), y.data() + batch * out.size());
        };
    } else if (op == "BatchNormalization") {
        shape in;
        if (rank == 2) in = vector_input(std::size_t(dims[1]));
        else in = map_of();
        const std::size_t c = in.c;
        const layer_facts facts{.kind = layer_kind::batch_norm, .momentum = real_attribute(node, "momentum", 0.9f),
                                .epsilon = real_attribute(node, "epsilon", 1e-5f)};
        f.net = std::make_unique<one_layer_network>(in, entry_description{op, facts, layer_role::compute, in, in},
                                                    std::vector<std::pair<const char*, std::size_t>>{{"gamma", c}, {"beta", c}, {"moving_mean", c}, {"moving_variance", c}});
        f.run = [in, facts](const std::vector<float>& x, const one_layer_network& net) {
            aligned_buffer input(x.size()), y(x.size()), scale(in.c), shift(in.c);
            std::copy(x.begin(), x.end(), input.data());
            float* statistics[2] = {const_cast<float*>(net.tensor(2)), const_cast<float*>(net.tensor(3))};
            kernels::batch_norm_forward_inference({x.size() / in.c, in.c}, input.data(), y.data(), {scale.data(), shift.data()},
                                                  {net.tensor(0), net.tensor(1), statistics[0], statistics[1], static_cast<float>(facts.momentum), facts.epsilon, false});
            return std::vector<float>(y.data(), y.data() + x.size());
        };
    } else {
        throw skip_test("not an op stag reads");
    }
    return f;
}

// The test's model as stag's import takes it: the inputs after the first become initializers, the data
// input and output get the dims of stag's form.
// The graph's inputs that are not initializers (files before IR version 4 list initializers among the
// inputs too): what the test's input_<i>.pb give, in order.
std::vector<std::string> data_inputs(const onnx::GraphProto& g) {
    std::set<std::string> initializers;
    for (const onnx::TensorProto& t : g.initializer()) initializers.insert(t.name());
    std::vector<std::string> names;
    for (const onnx::ValueInfoProto& v : g.input())
        if (!initializers.count(v.name())) names.push_back(v.name());
    return names;
}

// The node's inputs as tensors, from the test's data or the model's initializers.
std::vector<onnx_io::tensor> node_inputs(const onnx::ModelProto& m, const std::vector<onnx::TensorProto>& given) {
    const std::vector<std::string> names = data_inputs(m.graph());
    std::vector<onnx_io::tensor> out;
    for (const std::string& input : m.graph().node(0).input()) {
        const auto at = std::find(names.begin(), names.end(), input);
        if (at != names.end()) {
            out.push_back(floats(given.at(std::size_t(at - names.begin())), "input '" + input + "'"));
            continue;
        }
        for (const onnx::TensorProto& t : m.graph().initializer())
            if (t.name() == input) out.push_back(floats(t, "initializer '" + input + "'"));
    }
    return out;
}

onnx::ModelProto as_stag_reads_it(onnx::ModelProto m, const std::vector<onnx::TensorProto>& inputs, const stag_form& f) {
    onnx::GraphProto& g = *m.mutable_graph();
    const std::vector<std::string> names = data_inputs(g);
    for (std::size_t i = 1; i < names.size(); ++i) {
        onnx::TensorProto t = inputs.at(i);
        t.set_name(names[i]);
        *g.add_initializer() = t;
    }
    for (int i = g.input_size() - 1; i >= 0; --i)
        if (g.input(i).name() != names.front()) g.mutable_input()->DeleteSubrange(i, 1);
    const auto set_dims = [](onnx::ValueInfoProto& v, const std::vector<std::int64_t>& dims) {
        auto& shape = *v.mutable_type()->mutable_tensor_type()->mutable_shape();
        shape.clear_dim();
        for (const std::int64_t d : dims) shape.add_dim()->set_dim_value(d);
    };
    if (f.input_dims) set_dims(*g.mutable_input(0), *f.input_dims);
    if (f.output_dims && g.output_size() == 1) set_dims(*g.mutable_output(0), *f.output_dims);
    if (f.softmax_axis)
        for (auto& a : *g.mutable_node(0)->mutable_attribute())
            if (a.name() == "axis") a.set_i(-1);
    return m;
}

outcome run_test(const fs::path& dir, const fs::path& work) {
    onnx::ModelProto model;
    {
        std::ifstream in(dir / "model.onnx", std::ios::binary);
        if (!model.ParseFromIstream(&in)) return {outcome::fail, "model.onnx does not parse"};
    }
    if (model.graph().node_size() != 1)
        return {outcome::skip, "the op expanded into its function body (" + std::to_string(model.graph().node_size()) + " nodes of other ops)"};
    std::size_t sets = 0;
    for (const auto& set : fs::directory_iterator(dir)) {
        if (!set.is_directory()) continue;
        ++sets;
        std::vector<onnx::TensorProto> inputs_pb, outputs_pb;
        for (int i = 0; fs::exists(set.path() / ("input_" + std::to_string(i) + ".pb")); ++i) inputs_pb.push_back(read_tensor(set.path() / ("input_" + std::to_string(i) + ".pb")));
        for (int i = 0; fs::exists(set.path() / ("output_" + std::to_string(i) + ".pb")); ++i) outputs_pb.push_back(read_tensor(set.path() / ("output_" + std::to_string(i) + ".pb")));
        if (inputs_pb.empty() || outputs_pb.empty()) return {outcome::skip, "a test without inputs or outputs"};
        for (const onnx::ValueInfoProto& v : model.graph().input())
            if (!v.type().has_tensor_type()) return {outcome::skip, "input '" + v.name() + "' is a sequence or an optional, not a tensor"};
        try {
            if (inputs_pb.size() != data_inputs(model.graph()).size()) return {outcome::skip, "optional inputs left out"};
            const std::vector<onnx_io::tensor> inputs = node_inputs(model, inputs_pb);
            const stag_form f = form_of(model, inputs);
            const fs::path file = work / (dir.filename().string() + ".onnx");
            {
                std::ofstream out(file, std::ios::binary | std::ios::trunc);
                as_stag_reads_it(model, inputs_pb, f).SerializeToOstream(&out);
            }
            load_onnx(f.net->view(), file.string());
            const onnx_io::tensor& x = inputs[0];
            const std::vector<std::int64_t>& d = x.dims;
            std::vector<float> input = x.values;
            if (f.map_input) input = onnx_io::permuted(input, {std::size_t(d[0]), std::size_t(d[1]), std::size_t(d[2]), std::size_t(d[3])}, onnx_io::nhwc_from_nchw);
            std::vector<float> y = f.run(input, *f.net);
            const onnx_io::tensor expected = floats(outputs_pb[0], "output 0");
            if (f.map_input && expected.dims.size() == 4) {
                const auto& e = expected.dims;
                y = onnx_io::permuted(y, {std::size_t(e[0]), std::size_t(e[2]), std::size_t(e[3]), std::size_t(e[1])}, onnx_io::nchw_from_nhwc);
            }
            if (y.size() != expected.size()) return {outcome::fail, "gives " + std::to_string(y.size()) + " values, ONNX " + std::to_string(expected.size())};
            double worst = 0;
            std::size_t at = 0;
            for (std::size_t i = 0; i < y.size(); ++i) {
                const double e = expected.values[i], excess = std::abs(y[i] - e) - (1e-7 + 1e-3 * std::abs(e));
                if (excess > worst) worst = excess, at = i;
            }
            if (worst > 0)
                return {outcome::fail, fmt::format("{}: value {} is {} where ONNX has {}", set.path().filename().string(), at, y[at], expected.values[at])};
        } catch (const skip_test& s) {
            return {outcome::skip, s.what()};
        } catch (const file_error& e) {
            return {outcome::skip, std::string(e.what()).substr(e.path().size() + 2)};  // the import's reason, without the path
        }
    }
    return sets ? outcome{outcome::pass, ""} : outcome{outcome::skip, "no test data set"};
}

std::string op_of(const fs::path& dir) {
    onnx::ModelProto m;
    std::ifstream in(dir / "model.onnx", std::ios::binary);
    if (!m.ParseFromIstream(&in) || m.graph().node_size() == 0) return "";
    if (m.graph().node_size() == 1) return m.graph().node(0).op_type();
    // An expanded test ("test_softmax_axis_0_expanded") belongs to the op it expands.
    const std::string name = dir.filename().string();
    for (const std::string& op : stag_ops) {
        std::string lower = op;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (name.rfind("test_" + lower + "_", 0) == 0 && name.ends_with("_expanded")) return op;
    }
    return "";
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"ONNX's node tests through stag's import and kernels"};
    std::vector<std::string> data{"/usr/share/libonnx-testdata/data/node", "/usr/share/libonnx-testdata/data/pytorch-converted"};
    std::string work, table;
    app.add_option("--data", data, "folders of libonnx-testdata's one-node tests (node/: ONNX's own; pytorch-converted/: PyTorch modules)")->capture_default_str();
    app.add_option("--work", work, "scratch folder")->required();
    app.add_option("--table", table, "also write the per-op table (markdown) here");
    CLI11_PARSE(app, argc, argv);
    fs::create_directories(work);
    std::vector<fs::path> dirs;
    for (const std::string& folder : data) {
        if (!fs::is_directory(folder)) {
            fmt::print("skipped: no ONNX node tests at {} (cmake/setup.sh installs libonnx-testdata)\n", folder);
            return 0;
        }
        for (const auto& e : fs::directory_iterator(folder))
            if (fs::exists(e.path() / "model.onnx")) dirs.push_back(e.path());
    }
    std::sort(dirs.begin(), dirs.end(), [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });

    struct counts {
        std::size_t tests = 0, passed = 0, skipped = 0, failed = 0;
        std::vector<std::string> reasons;
    };
    std::map<std::string, counts> by_op;
    bool failed = false;
    for (const fs::path& dir : dirs) {
        const std::string op = op_of(dir);
        const bool reads = std::find(stag_ops.begin(), stag_ops.end(), op) != stag_ops.end();
        if (!reads && !ops_read_in_place.count(op)) continue;
        const outcome o = reads ? run_test(dir, work) : outcome{outcome::skip, ops_read_in_place.at(op)};
        counts& c = by_op[op];
        ++c.tests;
        const std::string name = dir.filename().string();
        if (o.result == outcome::pass) ++c.passed;
        if (o.result == outcome::skip) ++c.skipped, c.reasons.push_back("`" + name + "`: " + o.detail);
        if (o.result == outcome::fail) ++c.failed, failed = true;
        fmt::print("{:<52} {}{}\n", name, o.result == outcome::pass ? "pass" : o.result == outcome::skip ? "skip: " : "FAIL: ", o.detail);
    }
    std::string md = "| op | node tests | pass | skipped |\n|---|---:|---:|---:|\n";
    std::size_t total = 0, passes = 0;
    for (const auto& [op, c] : by_op) {
        md += fmt::format("| {} | {} | {} | {} |\n", op, c.tests, c.passed, c.skipped);
        total += c.tests;
        passes += c.passed;
        if (c.passed == 0 && std::find(stag_ops.begin(), stag_ops.end(), op) != stag_ops.end()) {
            fmt::print("no node test of {} passes\n", op);
            failed = true;
        }
    }
    md += fmt::format("| all | {} | {} | {} |\n\nThe skips and their reasons:\n\n", total, passes, total - passes);
    for (const auto& [op, c] : by_op)
        for (const std::string& r : c.reasons) md += "- " + op + ", " + r + "\n";
    fmt::print("\n{}", md);
    if (!table.empty()) std::ofstream(table) << md;
    return failed ? 1 : 0;
}
