// load_onnx: an ONNX file matched against a network's entries, node by node, and its tensors converted to
// stag's layouts; nothing is written into the network until the whole file has been checked.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "stag/interop/impl/layouts.hpp"
#include "stag/interop/impl/onnx_graph.hpp"
#include "stag/interop/onnx.hpp"
#include "stag/kernels/conv/geometry.hpp"

namespace stag {

namespace {

using onnx_io::path_node;
using onnx_io::tensor;

bool same_float(float file, float expected) { return std::abs(file - expected) <= 1e-6f * std::max(std::abs(file), std::abs(expected)); }

std::string text(float v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.9g", static_cast<double>(v));
    return b;
}
std::string text(const std::vector<std::int64_t>& dims) {
    std::string s;
    for (std::size_t i = 0; i < dims.size(); ++i) s += (i ? "×" : "") + (dims[i] < 0 ? std::string("N") : std::to_string(dims[i]));
    return s.empty() ? "scalar" : s;
}

// Walks the file's nodes beside the network's entries.
class importer {
public:
    importer(const network_view& net, const onnx_io::chain& c, const onnx_io::file_context& file)
        : net_(net), chain_(c), file_(file), staged_(net.tensors->size()) {}

    std::vector<std::vector<float>> run() {
        for (entry_ = 0; entry_ < net_.entries.size(); ++entry_) match(net_.entries[entry_]);
        skip_identities();
        if (next_ < chain_.nodes.size()) file_.fail(onnx_io::describe(node_at(next_)) + " follows the last layer of stag's network (" + label() + ")");
        const shape out = net_.entries.back().output;
        const std::vector<std::int64_t> want = now_.map ? std::vector<std::int64_t>{-1, std::int64_t(out.c), std::int64_t(out.h), std::int64_t(out.w)}
                                                        : std::vector<std::int64_t>{-1, std::int64_t(out.size())};
        if (const auto dims = onnx_io::static_dims(*chain_.output, file_)) {
            bool fits = dims->size() == want.size();
            for (std::size_t i = 1; fits && i < want.size(); ++i) fits = (*dims)[i] < 0 || (*dims)[i] == want[i];
            if (!fits) file_.fail("the graph's output '" + chain_.output->name() + "' is " + text(*dims) + " where stag's network gives " + text(want));
        }
        return std::move(staged_);
    }

private:
    // The value between nodes: an NCHW map, or a vector per sample; a vector flattened from an NCHW map without
    // a Transpose has its entries in channel-major order.
    struct layout {
        bool map = true;
        bool channel_major = false;
        onnx_io::flattened_map flattened{};
    };

    // The entry being matched; once every entry is, the last.
    std::string label() const { return net_.label(std::min(entry_, net_.entries.size() - 1)); }
    const onnx::NodeProto& node_at(std::size_t i) const { return *chain_.nodes[i].node; }
    [[noreturn]] void mismatch(const onnx::NodeProto& node, const std::string& has, const std::string& expects) const {
        file_.fail(onnx_io::describe(node) + ": " + has + " where stag's " + label() + " expects " + expects);
    }

    // Dropout (identity in inference) and Identity nodes stand for nothing in stag's network.
    void skip_identities() {
        while (next_ < chain_.nodes.size()) {
            const path_node& p = chain_.nodes[next_];
            const std::string& op = p.node->op_type();
            if (op == "Dropout") {
                const onnx_io::attributes a(*p.node, file_);
                a.refuse_others({"ratio", "seed", "is_test"});
                if (a.integer_or("is_test", 1) == 0) file_.fail(onnx_io::describe(*p.node) + " is in training mode (is_test 0)");
                if (p.has_input(2) && p.constants[2]->data_type() != onnx::TensorProto::BOOL)
                    file_.fail(onnx_io::describe(*p.node) + ": training_mode is not a bool");
                if (p.has_input(2) && (p.constants[2]->int32_data_size() > 0 ? p.constants[2]->int32_data(0) != 0
                                                                               : p.constants[2]->raw_data().find_first_not_of('\0') != std::string::npos))
                    file_.fail(onnx_io::describe(*p.node) + " is in training mode (training_mode true)");
            } else if (op != "Identity") {
                return;
            }
            ++next_;
        }
    }
    // The next node, which must be one of `ops` (what the current entry is in ONNX).
    const path_node& expect(std::initializer_list<const char*> ops, const std::string& expected) {
        skip_identities();
        if (next_ == chain_.nodes.size())
            file_.fail("the graph ends where stag's " + label() + " expects " + expected);
        const path_node& p = chain_.nodes[next_];
        if (std::none_of(ops.begin(), ops.end(), [&](const char* op) { return p.node->op_type() == op; }))
            file_.fail(onnx_io::describe(*p.node) + " is where stag's " + label() + " expects " + expected);
        ++next_;
        return p;
    }
    bool next_is(const char* op) {
        skip_identities();
        return next_ < chain_.nodes.size() && node_at(next_).op_type() == op;
    }
    tensor constant(const path_node& p, std::size_t input, const char* role) const {
        if (!p.has_input(input)) file_.fail(onnx_io::describe(*p.node) + " has no constant " + role + " (input " + std::to_string(input) + ")");
        return onnx_io::decode(*p.constants[input], onnx_io::describe(*p.node) + ": " + role, file_);
    }
    void refuse_extra_inputs(const path_node& p, std::size_t inputs) const {
        if (p.constants.size() > inputs) file_.fail(onnx_io::describe(*p.node) + " has " + std::to_string(p.constants.size()) + " inputs");
    }
    // A vector of `size` floats given as [size] (or [1, size]): a bias or a batch-norm statistic.
    std::vector<float> vector_of(const path_node& p, std::size_t input, const char* role, std::size_t size) const {
        tensor t = constant(p, input, role);
        const bool fits = (t.dims.size() == 1 && std::size_t(t.dims[0]) == size) || (t.dims.size() == 2 && t.dims[0] == 1 && std::size_t(t.dims[1]) == size);
        if (!fits) mismatch(*p.node, std::string(role) + " is " + t.dims_text(), std::to_string(size) + " values");
        return std::move(t.values);
    }
    void stage(std::size_t tensor_in_entry, std::vector<float> values) {
        const entry_description& e = net_.entries[entry_];
        staged_[e.first_tensor + tensor_in_entry] = std::move(values);
    }

    void match(const entry_description& e) {
        switch (e.facts.kind) {
        case layer_kind::input: return match_input(e);
        case layer_kind::dropout: return;
        case layer_kind::flatten: return match_flatten(e);
        case layer_kind::dense: return match_dense(e);
        case layer_kind::conv2d: return match_conv(e);
        case layer_kind::max_pool:
        case layer_kind::average_pool: return match_pool(e);
        case layer_kind::batch_norm: return match_batch_norm(e);
        case layer_kind::activation: return match_activation(e);
        case layer_kind::softmax: return match_softmax();
        case layer_kind::custom: break;
        }
        file_.fail("stag's " + label() + " is a custom layer, which ONNX files cannot describe");
    }

    void match_input(const entry_description& e) {
        const shape s = e.output;
        const auto dims = onnx_io::static_dims(*chain_.input, file_);
        now_.map = dims ? dims->size() == 4 : !s.flat();
        if (!dims) return;
        const std::vector<std::int64_t> want = now_.map ? std::vector<std::int64_t>{-1, std::int64_t(s.c), std::int64_t(s.h), std::int64_t(s.w)}
                                                        : std::vector<std::int64_t>{-1, std::int64_t(s.c)};
        bool fits = dims->size() == want.size() && (now_.map || s.flat());
        for (std::size_t i = 1; fits && i < want.size(); ++i) fits = (*dims)[i] < 0 || (*dims)[i] == want[i];
        const std::vector<std::int64_t> map{-1, std::int64_t(s.c), std::int64_t(s.h), std::int64_t(s.w)};
        if (!fits)
            file_.fail("the graph's input '" + chain_.input->name() + "' is " + text(*dims) + " where stag's network takes " +
                       (s.flat() ? "N×" + std::to_string(s.c) : "N×C×H×W = " + text(map) + " (NCHW)"));
    }

    void match_flatten(const entry_description& e) {
        const onnx_io::flattened_map map{e.input.h, e.input.w, e.input.c};
        bool transposed = false;
        if (now_.map && next_is("Transpose")) {
            const path_node& t = expect({"Transpose"}, "a Transpose to NHWC and a Flatten");
            const onnx_io::attributes a(*t.node, file_);
            a.refuse_others({"perm"});
            if (a.integers("perm") != std::vector<std::int64_t>{0, 2, 3, 1}) mismatch(*t.node, "a Transpose other than NCHW → NHWC", "Flatten");
            transposed = true;
        }
        const bool optional = !now_.map;  // a vector is flat already
        if (optional && !next_is("Flatten") && !next_is("Reshape")) return;
        const path_node& p = expect({"Flatten", "Reshape"}, "a Flatten");
        const onnx_io::attributes a(*p.node, file_);
        if (p.node->op_type() == "Flatten") {
            a.refuse_others({"axis"});
            refuse_extra_inputs(p, 1);
            // A negative axis counts from the end (opset 11 on): -3 of an NCHW map is 1.
            const std::int64_t axis = a.integer_or("axis", 1), rank = now_.map ? 4 : 2;
            if (axis != 1 && axis + rank != 1) mismatch(*p.node, "axis " + std::to_string(axis), "axis 1 (all but the batch)");
        } else {
            a.refuse_others({"allowzero"});
            refuse_extra_inputs(p, 2);
            if (!p.has_input(1)) file_.fail(onnx_io::describe(*p.node) + " has no constant shape");
            const std::vector<std::int64_t> to = onnx_io::decode_integers(*p.constants[1], onnx_io::describe(*p.node) + ": shape", file_);
            const auto size = std::int64_t(map.h * map.w * map.c);
            // (batch, features): the batch as -1, 0 (kept) or a number, the features as their count or -1.
            const bool flattens = to.size() == 2 && (to[0] == -1 || to[0] >= 0) && (to[1] == size || (to[1] == -1 && to[0] != -1)) &&
                                  !(to[0] == 0 && a.integer_or("allowzero", 0) != 0);
            if (!flattens) mismatch(*p.node, "a Reshape to " + text(to), "a flatten to (N, " + std::to_string(size) + ")");
        }
        now_ = {false, !transposed && now_.map && map.reorders(), map};
    }

    void match_dense(const entry_description& e) {
        const std::size_t fan_in = e.input.size(), units = e.facts.units;
        const std::string want = std::to_string(fan_in) + " inputs and " + std::to_string(units) + " units";
        if (now_.map && !(e.input.flat())) mismatch(node_at(next_ < chain_.nodes.size() ? next_ : 0), "a map", "a vector (flatten first)");
        const path_node& p = expect({"Gemm", "MatMul"}, "a Gemm (or MatMul) of " + want);
        const onnx_io::attributes a(*p.node, file_);
        bool transposed = false;
        std::vector<float> bias;
        if (p.node->op_type() == "Gemm") {
            a.refuse_others({"alpha", "beta", "transA", "transB", "broadcast"});
            // Before opset 7 a C to broadcast had to say so; stag's bias is always broadcast over the batch.
            if (p.has_input(2) && a.integer("broadcast") == 0) mismatch(*p.node, "broadcast 0 (a C of batch × units)", "a bias of one value per unit");
            refuse_extra_inputs(p, 3);
            if (!same_float(a.real_or("alpha", 1.0f), 1.0f) || !same_float(a.real_or("beta", 1.0f), 1.0f))
                mismatch(*p.node, "alpha " + text(a.real_or("alpha", 1.0f)) + ", beta " + text(a.real_or("beta", 1.0f)), "alpha 1 and beta 1");
            if (a.integer_or("transA", 0) != 0) mismatch(*p.node, "transA 1", "the input untransposed");
            transposed = a.integer_or("transB", 0) != 0;
            if (p.has_input(2)) bias = vector_of(p, 2, "C", units);
        } else {
            a.refuse_others({});
            refuse_extra_inputs(p, 2);
        }
        const tensor b = constant(p, 1, "B");
        const std::vector<std::int64_t> expected = transposed ? std::vector<std::int64_t>{std::int64_t(units), std::int64_t(fan_in)}
                                                              : std::vector<std::int64_t>{std::int64_t(fan_in), std::int64_t(units)};
        if (b.dims != expected)
            mismatch(*p.node, "B is " + b.dims_text() + (transposed ? " (transB 1: units × inputs)" : " (inputs × units)"), want);
        if (p.node->op_type() == "MatMul" && next_is("Add")) {
            const path_node& add = expect({"Add"}, "the bias of " + label());
            onnx_io::attributes(*add.node, file_).refuse_others({});
            refuse_extra_inputs(add, 2);
            bias = vector_of(add, 1, "the bias", units);
        }
        std::vector<float> kernel = b.values;
        if (transposed) kernel = onnx_io::permuted(kernel, {1, 1, units, fan_in}, {0, 1, 3, 2});
        if (now_.channel_major) kernel = onnx_io::rows_to_stag_order(kernel, units, now_.flattened);
        stage(0, std::move(kernel));
        stage(1, bias.empty() ? std::vector<float>(units, 0.0f) : std::move(bias));
        now_ = {false, false, {}};
    }

    void match_conv(const entry_description& e) {
        const layer_facts& f = e.facts;
        const shape in = e.input, out = e.output;
        const path_node& p = expect({"Conv"}, "a Conv of " + std::to_string(f.units) + " filters");
        if (!now_.map) mismatch(*p.node, "a vector as input", "an NCHW map");
        const onnx_io::attributes a(*p.node, file_);
        a.refuse_others({"kernel_shape", "strides", "pads", "auto_pad", "dilations", "group"});
        refuse_extra_inputs(p, 3);
        if (a.integer_or("group", 1) != 1) mismatch(*p.node, "group " + std::to_string(a.integer_or("group", 1)), "group 1");
        const tensor w = constant(p, 1, "W");
        const std::vector<std::int64_t> want{std::int64_t(f.units), std::int64_t(in.c), std::int64_t(f.window_h), std::int64_t(f.window_w)};
        if (w.dims != want) mismatch(*p.node, "W is " + w.dims_text(), "filters × channels × H × W = " + text(want));
        const onnx_io::window_attributes win = onnx_io::read_window(*p.node, a, std::array<std::size_t, 2>{f.window_h, f.window_w}, in.h, in.w, file_);
        if (win.stride_h != f.stride_h || win.stride_w != f.stride_w)
            mismatch(*p.node, "strides " + std::to_string(win.stride_h) + "×" + std::to_string(win.stride_w),
                     "strides " + std::to_string(f.stride_h) + "×" + std::to_string(f.stride_w));
        const std::size_t top = kernels::padding_before(in.h, out.h, f.window_h, f.stride_h), left = kernels::padding_before(in.w, out.w, f.window_w, f.stride_w);
        if (win.pads[0] != top || win.pads[1] != left || win.out_h != out.h || win.out_w != out.w)
            mismatch(*p.node, "pads " + text({std::int64_t(win.pads[0]), std::int64_t(win.pads[1]), std::int64_t(win.pads[2]), std::int64_t(win.pads[3])}) +
                                  " (an output of " + std::to_string(win.out_h) + "×" + std::to_string(win.out_w) + ")",
                     std::string(f.pads == padding::same ? "'same'" : "'valid'") + " padding: " + std::to_string(top) + " before in H and " +
                         std::to_string(left) + " in W, an output of " + std::to_string(out.h) + "×" + std::to_string(out.w));
        stage(0, onnx_io::permuted(w.values, {f.units, in.c, f.window_h, f.window_w}, onnx_io::hwio_from_oihw));
        stage(1, p.has_input(2) ? vector_of(p, 2, "B", f.units) : std::vector<float>(f.units, 0.0f));
    }

    void match_pool(const entry_description& e) {
        const layer_facts& f = e.facts;
        const bool max = f.kind == layer_kind::max_pool;
        const std::string window = std::to_string(f.window_h) + "×" + std::to_string(f.window_w);
        const path_node& p = expect({max ? "MaxPool" : "AveragePool"}, std::string(max ? "a MaxPool" : "an AveragePool") + " of " + window);
        if (!now_.map) mismatch(*p.node, "a vector as input", "an NCHW map");
        const onnx_io::attributes a(*p.node, file_);
        if (max) a.refuse_others({"kernel_shape", "strides", "pads", "auto_pad", "ceil_mode", "dilations", "storage_order"});
        else a.refuse_others({"kernel_shape", "strides", "pads", "auto_pad", "ceil_mode", "count_include_pad"});
        refuse_extra_inputs(p, 1);
        const onnx_io::window_attributes win = onnx_io::read_window(*p.node, a, std::nullopt, e.input.h, e.input.w, file_);
        if (win.kernel_h != f.window_h || win.kernel_w != f.window_w || win.stride_h != f.stride_h || win.stride_w != f.stride_w)
            mismatch(*p.node, "a window of " + std::to_string(win.kernel_h) + "×" + std::to_string(win.kernel_w) + " at strides " +
                                  std::to_string(win.stride_h) + "×" + std::to_string(win.stride_w),
                     window + " at strides " + std::to_string(f.stride_h) + "×" + std::to_string(f.stride_w));
        if (win.pads != std::array<std::size_t, 4>{} || win.out_h != e.output.h || win.out_w != e.output.w)
            mismatch(*p.node, "pads or ceil_mode that give an output of " + std::to_string(win.out_h) + "×" + std::to_string(win.out_w),
                     "Keras' 'valid' windows (no pads), an output of " + std::to_string(e.output.h) + "×" + std::to_string(e.output.w));
    }

    void match_batch_norm(const entry_description& e) {
        const layer_facts& f = e.facts;
        const std::size_t features = net_.entries[entry_].tensors ? (*net_.tensors)[e.first_tensor].size : 0;
        const std::vector<std::int64_t> perm = f.axis == norm_axis::rows ? std::vector<std::int64_t>{0, 2, 1, 3} : std::vector<std::int64_t>{0, 3, 2, 1};
        const char* moved = f.axis == norm_axis::rows ? "image rows" : "image columns";
        const auto transpose = [&](const char* step) {
            const path_node& t = expect({"Transpose"}, std::string("a Transpose that moves ") + moved + " " + step);
            const onnx_io::attributes a(*t.node, file_);
            a.refuse_others({"perm"});
            if (a.integers("perm") != perm) mismatch(*t.node, "perm " + text(a.integers("perm").value_or(std::vector<std::int64_t>{})), "perm " + text(perm));
        };
        if (f.axis != norm_axis::channels) {
            if (!now_.map) file_.fail("stag's " + label() + " normalises " + moved + " of a map, but the graph has a vector here");
            transpose("to axis 1");
        }
        const path_node& p = expect({"BatchNormalization"}, "a BatchNormalization of " + std::to_string(features) + " features");
        const onnx_io::attributes a(*p.node, file_);
        a.refuse_others({"epsilon", "momentum", "training_mode", "spatial", "is_test", "consumed_inputs"});
        refuse_extra_inputs(p, 5);
        if (a.integer_or("training_mode", 0) != 0) mismatch(*p.node, "training_mode 1", "an inference graph");
        if (a.integer_or("spatial", 1) != 1) mismatch(*p.node, "spatial 0", "statistics per channel (spatial 1)");
        if (const float eps = a.real_or("epsilon", 1e-5f); !same_float(eps, f.epsilon))
            mismatch(*p.node, "epsilon " + text(eps), "epsilon " + text(f.epsilon));
        // Only training reads the momentum; a file that states one must state the network's.
        if (const auto momentum = a.real("momentum"); momentum && !same_float(*momentum, static_cast<float>(f.momentum)))
            mismatch(*p.node, "momentum " + text(*momentum), "momentum " + text(static_cast<float>(f.momentum)) + " (Keras' and ONNX's: the moving average's weight)");
        const char* roles[4] = {"scale", "B", "mean", "var"};
        for (std::size_t k = 0; k < 4; ++k) {
            std::vector<float> v = vector_of(p, k + 1, roles[k], features);
            if (now_.channel_major) v = onnx_io::rows_to_stag_order(v, 1, now_.flattened);
            stage(k, std::move(v));
        }
        if (f.axis != norm_axis::channels) transpose("back");
    }

    void match_activation(const entry_description& e) {
        const layer_facts& f = e.facts;
        const auto simple = [&](const char* op) {
            const path_node& p = expect({op}, std::string("a ") + op);
            onnx_io::attributes(*p.node, file_).refuse_others({});
            refuse_extra_inputs(p, 1);
        };
        const auto with_alpha = [&](const char* op, float fallback) {
            const path_node& p = expect({op}, std::string("a ") + op + " of alpha " + text(f.alpha));
            const onnx_io::attributes a(*p.node, file_);
            a.refuse_others({"alpha"});
            refuse_extra_inputs(p, 1);
            if (const float alpha = a.real_or("alpha", fallback); !same_float(alpha, f.alpha)) mismatch(*p.node, "alpha " + text(alpha), "alpha " + text(f.alpha));
        };
        switch (f.function) {
        case function_kind::relu: return simple("Relu");
        case function_kind::sigmoid: return simple("Sigmoid");
        case function_kind::tanh: return simple("Tanh");
        case function_kind::leaky_relu: return with_alpha("LeakyRelu", 0.01f);
        case function_kind::elu: return with_alpha("Elu", 1.0f);
        case function_kind::none:
        case function_kind::custom: break;
        }
        file_.fail("stag's " + label() + " is a custom activation, which ONNX files cannot describe");
    }

    void match_softmax() {
        const path_node& p = expect({"Softmax"}, "a Softmax");
        const onnx_io::attributes a(*p.node, file_);
        a.refuse_others({"axis"});
        refuse_extra_inputs(p, 1);
        const std::int64_t axis = a.integer_or("axis", chain_.opset >= 13 ? -1 : 1);
        if (now_.map || (axis != 1 && axis != -1)) mismatch(*p.node, "a softmax over axis " + std::to_string(axis), "a softmax over a vector's entries");
        if (now_.channel_major) mismatch(*p.node, "a vector flattened from an NCHW map", "a vector in stag's order (a Transpose to NHWC before the Flatten)");
    }

    const network_view& net_;
    const onnx_io::chain& chain_;
    const onnx_io::file_context& file_;
    std::vector<std::vector<float>> staged_;
    std::size_t entry_ = 0, next_ = 0;
    layout now_;
};

}  // namespace

void load_onnx(const network_view& net, const std::string& path) { onnx_io::load_onnx_bytes(net, onnx_io::read_file(path), onnx_io::file_context(path)); }

void onnx_io::load_onnx_bytes(const network_view& net, const std::string& bytes, const file_context& file) {
    const chain c = parse_chain(bytes, file);
    std::vector<std::vector<float>> staged = importer(net, c, file).run();
    if (!c.signature.empty() && c.signature != net.signature)
        file.fail("its graph is this network's, but it was exported from another stag network (its training settings differ):\n  file:    " +
                  c.signature + "\n  network: " + net.signature);
    const std::vector<parameter_ref>& tensors = *net.tensors;
    for (std::size_t i = 0; i < tensors.size(); ++i)
        if (staged[i].size() != tensors[i].size) file.fail("it gives no value for " + tensors[i].name);
    for (std::size_t i = 0; i < tensors.size(); ++i) std::memcpy(tensors[i].value, staged[i].data(), tensors[i].size * sizeof(float));
}

}  // namespace stag
