// ONNX files in and out of small networks: bit-exact round trips of every layer and option, the forms other
// exporters write (torch.onnx.export's Gemm with transB, MatMul + Add, Reshape, Constant nodes, deduplicated
// initializers, Dropout and Identity nodes, auto_pad), and the refusal of 25+ broken or foreign files with a
// message naming the file and the node, leaving every weight as it was. The files are stag's own exports,
// changed with the ONNX schema's protobuf classes.
#include <catch2/catch.hpp>
#include <onnx/onnx_pb.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "interop/coverage_nets.hpp"
#include "stag/interop/impl/layouts.hpp"
#include "stag/interop/onnx.hpp"
#include "stag/interop/weights.hpp"

using namespace stag;
using namespace stag::testing;
namespace fs = std::filesystem;

namespace {

std::string temp_path(const std::string& name) { return (fs::temp_directory_path() / ("stag_interop_" + name)).string(); }

template <class Net>
std::vector<float> all_values(Net& net) {
    std::vector<float> v;
    for (const parameter_ref& t : net.all_tensors()) v.insert(v.end(), t.value, t.value + t.size);
    return v;
}

onnx::ModelProto read_model(const std::string& path) {
    onnx::ModelProto m;
    std::ifstream in(path, std::ios::binary);
    REQUIRE(m.ParseFromIstream(&in));
    return m;
}
void write_model(const onnx::ModelProto& m, const std::string& path) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    REQUIRE(m.SerializeToOstream(&out));
}
void write_bytes(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes; }

onnx::NodeProto& node_of(onnx::ModelProto& m, const std::string& op, int nth = 0) {
    for (onnx::NodeProto& n : *m.mutable_graph()->mutable_node())
        if (n.op_type() == op && nth-- == 0) return n;
    FAIL("no " << op << " node");
    throw std::logic_error("unreachable");
}
onnx::TensorProto& initializer_of(onnx::ModelProto& m, const std::string& name) {
    for (onnx::TensorProto& t : *m.mutable_graph()->mutable_initializer())
        if (t.name() == name) return t;
    FAIL("no initializer " << name);
    throw std::logic_error("unreachable");
}
onnx::AttributeProto& attribute_of(onnx::NodeProto& n, const std::string& name) {
    for (onnx::AttributeProto& a : *n.mutable_attribute())
        if (a.name() == name) return a;
    onnx::AttributeProto& a = *n.add_attribute();
    a.set_name(name);
    return a;
}
void remove_attribute(onnx::NodeProto& n, const std::string& name) {
    auto& as = *n.mutable_attribute();
    for (int i = 0; i < as.size(); ++i)
        if (as.Get(i).name() == name) as.DeleteSubrange(i, 1);
}
std::vector<float> floats_of(const onnx::TensorProto& t) {
    std::vector<float> v(t.raw_data().size() / sizeof(float));
    std::memcpy(v.data(), t.raw_data().data(), t.raw_data().size());
    return v;
}
void set_floats(onnx::TensorProto& t, const std::vector<std::int64_t>& dims, const std::vector<float>& v) {
    t.clear_dims();
    for (const std::int64_t d : dims) t.add_dims(d);
    t.set_raw_data(v.data(), v.size() * sizeof(float));
}
// A node inserted at position `at` of the graph, reading `input` and giving `output`.
onnx::NodeProto& insert_node(onnx::ModelProto& m, int at, const std::string& op, const std::string& input, const std::string& output) {
    auto& nodes = *m.mutable_graph()->mutable_node();
    onnx::NodeProto* n = nodes.Add();
    n->set_op_type(op);
    n->set_name("inserted " + op);
    n->add_input(input);
    n->add_output(output);
    for (int i = nodes.size() - 1; i > at; --i) nodes.SwapElements(i, i - 1);
    return *n;
}
// The node reading `value`: its input renamed.
void rename_input(onnx::ModelProto& m, const std::string& from, const std::string& to) {
    for (onnx::NodeProto& n : *m.mutable_graph()->mutable_node())
        for (std::string& in : *n.mutable_input())
            if (in == from && n.output(0) != to) in = to;
}

using mutation = std::function<void(onnx::ModelProto&)>;

// Exports net (distinct values), applies the mutation, and loads the file into a fresh network: its values, and
// the original's.
template <class Net>
std::pair<std::vector<float>, std::vector<float>> through_mutated_file(const mutation& change, const std::function<void(Net&)>& prepare = {}) {
    const std::string path = temp_path("mutated.onnx");
    Net a(2), b(2);
    fill_distinct(a, 1);
    fill_distinct(b, 2);
    if (prepare) prepare(a);
    save_onnx(a, path);
    onnx::ModelProto m = read_model(path);
    change(m);
    write_model(m, path);
    load_onnx(b, path);
    return {all_values(b), all_values(a)};
}

// The message loading `path` into Net gives; the weights must be as they were.
template <class Net>
std::string refusal(const std::string& path) {
    Net b(2);
    fill_distinct(b, 2);
    const std::vector<float> before = all_values(b);
    std::string message;
    try {
        load_onnx(b, path);
    } catch (const file_error& e) {
        CHECK(e.path() == path);
        message = e.what();
    }
    CHECK(all_values(b) == before);
    return message;
}
template <class Net>
std::string refusal_of(const mutation& change) {
    const std::string path = temp_path("broken.onnx");
    Net a(2);
    fill_distinct(a, 1);
    save_onnx(a, path);
    onnx::ModelProto m = read_model(path);
    change(m);
    write_model(m, path);
    return refusal<Net>(path);
}

}  // namespace

TEST_CASE("every layer and option round-trips through ONNX bit for bit", "[interop][onnx]") {
    const auto round_trip = []<class Net>(Net*) {
        const auto [loaded, original] = through_mutated_file<Net>([](onnx::ModelProto&) {});
        CHECK(loaded == original);
    };
    round_trip(static_cast<map_coverage_net*>(nullptr));
    round_trip(static_cast<pool_coverage_net*>(nullptr));
    round_trip(static_cast<flat_coverage_net*>(nullptr));
}

TEST_CASE("the export is ONNX's NCHW inference graph, named as the summary names entries", "[interop][onnx]") {
    const std::string path = temp_path("map.onnx");
    map_coverage_net net(2);
    save_onnx(net, path);
    onnx::ModelProto m = read_model(path);
    std::vector<std::string> ops;
    for (const onnx::NodeProto& n : m.graph().node()) ops.push_back(n.op_type());
    // Batch norm over columns and rows: moved to axis 1 and back. The flatten feeds batch norm, not dense: a Transpose to NHWC.
    CHECK(ops == std::vector<std::string>{"Conv", "LeakyRelu", "Transpose", "BatchNormalization", "Transpose", "AveragePool", "Conv", "Elu", "Transpose",
                                          "BatchNormalization", "Transpose", "Transpose", "Flatten", "BatchNormalization", "Gemm", "Tanh", "Gemm", "Softmax"});
    CHECK(m.graph().node(0).name() == "1:conv2d<5, 3x3, same, stride 2>");
    CHECK(m.opset_import(0).version() == 13);
    CHECK(m.graph().input(0).type().tensor_type().shape().dim(1).dim_value() == 3);  // N × C × H × W
    CHECK(m.graph().input(0).type().tensor_type().shape().dim(2).dim_value() == 10);
    CHECK_THAT(m.doc_string(), Catch::Contains("NCHW"));

    pool_coverage_net pool(2);
    save_onnx(pool, path);
    m = read_model(path);
    CHECK(node_of(m, "Flatten").input(0) == "3:max_pool<2x2>");  // no Transpose: the dense kernel's rows are reordered
}

TEST_CASE("the forms torch.onnx.export and other exporters write load exactly", "[interop][onnx]") {
    SECTION("Gemm with transB 1 (units × inputs)") {
        const auto [loaded, original] = through_mutated_file<pool_coverage_net>([](onnx::ModelProto& m) {
            for (int k = 0; k < 2; ++k) {
                onnx::NodeProto& gemm = node_of(m, "Gemm", k);
                onnx::TensorProto& b = initializer_of(m, gemm.input(1));
                const std::size_t rows = b.dims(0), cols = b.dims(1);
                set_floats(b, {std::int64_t(cols), std::int64_t(rows)}, onnx_io::permuted(floats_of(b), {1, 1, rows, cols}, {0, 1, 3, 2}));
                onnx::AttributeProto& t = attribute_of(gemm, "transB");
                t.set_type(onnx::AttributeProto::INT);
                t.set_i(1);
            }
        });
        CHECK(loaded == original);
    }
    SECTION("MatMul followed by Add") {
        const auto [loaded, original] = through_mutated_file<pool_coverage_net>([](onnx::ModelProto& m) {
            onnx::NodeProto& gemm = node_of(m, "Gemm");
            const std::string bias = gemm.input(2), out = gemm.output(0);
            gemm.set_op_type("MatMul");
            gemm.mutable_input()->RemoveLast();
            gemm.clear_attribute();
            gemm.set_output(0, out + "/matmul");
            int at = 0;
            while (m.graph().node(at).name() != gemm.name()) ++at;
            onnx::NodeProto& add = insert_node(m, at + 1, "Add", bias, out);  // the bias first: Add is commutative
            add.add_input(out + "/matmul");
        });
        CHECK(loaded == original);
    }
    SECTION("a Reshape to (0, -1) for the flatten, and a Transpose to NHWC before it with the kernel rows in stag's order") {
        const auto [loaded, original] = through_mutated_file<pool_coverage_net>([](onnx::ModelProto& m) {
            onnx::NodeProto& flatten = node_of(m, "Flatten");
            flatten.set_op_type("Reshape");
            flatten.clear_attribute();
            flatten.add_input("shape");
            onnx::TensorProto& shape = *m.mutable_graph()->add_initializer();
            shape.set_name("shape");
            shape.set_data_type(onnx::TensorProto::INT64);
            shape.add_dims(2);
            shape.add_int64_data(0);
            shape.add_int64_data(-1);
            const std::string pooled = flatten.input(0);
            onnx::NodeProto& t = insert_node(m, 3, "Transpose", pooled, "nhwc");
            onnx::AttributeProto& perm = attribute_of(t, "perm");
            perm.set_type(onnx::AttributeProto::INTS);
            for (const int p : {0, 2, 3, 1}) perm.add_ints(p);
            rename_input(m, pooled, "nhwc");
            onnx::TensorProto& b = initializer_of(m, node_of(m, "Gemm").input(1));
            set_floats(b, {b.dims(0), b.dims(1)}, onnx_io::rows_to_stag_order(floats_of(b), b.dims(1), {3, 3, 3}));
        });
        CHECK(loaded == original);
    }
    SECTION("initializers as Constant nodes, and an initializer deduplicated through an Identity") {
        const auto [loaded, original] = through_mutated_file<map_coverage_net>([](onnx::ModelProto& m) {
            onnx::GraphProto& g = *m.mutable_graph();
            // torch.onnx.export writes equal initializers once: the moving variance as an Identity of a copy.
            onnx::TensorProto& variance = initializer_of(m, node_of(m, "BatchNormalization").input(4));
            onnx::TensorProto copy = variance;
            copy.set_name("shared");
            *g.add_initializer() = copy;
            const std::string name = variance.name();
            insert_node(m, 0, "Identity", "shared", name);
            for (int i = 0; i < g.initializer_size(); ++i)
                if (g.initializer(i).name() == name) g.mutable_initializer()->DeleteSubrange(i, 1);
            // Conv weights as a Constant node.
            const std::string w = node_of(m, "Conv").input(1);
            onnx::TensorProto value = initializer_of(m, w);
            for (int i = 0; i < g.initializer_size(); ++i)
                if (g.initializer(i).name() == w) g.mutable_initializer()->DeleteSubrange(i, 1);
            onnx::NodeProto& c = *g.add_node();
            c.set_op_type("Constant");
            c.add_output(w);
            onnx::AttributeProto& a = *c.add_attribute();
            a.set_name("value");
            a.set_type(onnx::AttributeProto::TENSOR);
            *a.mutable_t() = value;
            for (int i = g.node_size() - 1; i > 0; --i) g.mutable_node()->SwapElements(i, i - 1);
        });
        CHECK(loaded == original);
    }
    SECTION("Dropout and Identity nodes on the path, float_data for raw_data, auto_pad SAME_UPPER for pads") {
        const auto [loaded, original] = through_mutated_file<map_coverage_net>([](onnx::ModelProto& m) {
            const std::string conv_out = m.graph().node(0).output(0);
            insert_node(m, 1, "Dropout", conv_out, "dropped");
            insert_node(m, 2, "Identity", "dropped", "same");
            rename_input(m, conv_out, "dropped");
            rename_input(m, "dropped", "same");
            for (onnx::TensorProto& t : *m.mutable_graph()->mutable_initializer()) {
                const std::vector<float> v = floats_of(t);
                t.clear_raw_data();
                for (const float x : v) t.add_float_data(x);
            }
            onnx::NodeProto& conv = node_of(m, "Conv");
            remove_attribute(conv, "pads");
            onnx::AttributeProto& pad = attribute_of(conv, "auto_pad");
            pad.set_type(onnx::AttributeProto::STRING);
            pad.set_s("SAME_UPPER");
        });
        CHECK(loaded == original);
    }
    SECTION("a Conv and a Gemm without bias: zeros") {
        const auto [loaded, original] = through_mutated_file<pool_coverage_net>(
            [](onnx::ModelProto& m) {
                node_of(m, "Conv").mutable_input()->RemoveLast();
                node_of(m, "Gemm").mutable_input()->RemoveLast();
            },
            [](pool_coverage_net& n) {
                std::fill_n(n.layer<1>().value[1], 3, 0.0f);
                std::fill_n(n.layer<5>().value[1], 5, 0.0f);
            });
        CHECK(loaded == original);
    }
}

TEST_CASE("broken, foreign and unsupported ONNX files are refused, naming the file and what is wrong", "[interop][onnx][bad_files]") {
    const std::string path = temp_path("bad.onnx");
    pool_coverage_net good(2);
    save_onnx(good, path);
    std::string bytes;
    {
        std::ifstream in(path, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    using net = pool_coverage_net;

    SECTION("bytes that are no model") {
        write_bytes(path, "");
        CHECK_THAT(refusal<net>(path), Catch::Contains("not an ONNX model"));
        write_bytes(path, bytes.substr(0, bytes.size() / 2));
        CHECK_THAT(refusal<net>(path), Catch::Contains("does not parse (a truncated or corrupt file?)"));
        std::string garbage = bytes;
        for (std::size_t i = 10; i < garbage.size(); i += 97) garbage[i] = static_cast<char>(garbage[i] ^ 0x5a);
        CHECK_FALSE(refusal<net>(path).empty());  // whatever the damage hits, a file_error
        write_bytes(path, std::string(1000, '\xff'));
        CHECK_THAT(refusal<net>(path), Catch::Contains("not an ONNX model"));
        fs::create_directories(temp_path("a_folder"));
        CHECK_THAT(refusal<net>(temp_path("a_folder")), Catch::Contains("is a directory"));
        CHECK_THAT(refusal<net>(temp_path("no_such_file")), Catch::Contains("cannot open"));
    }
    SECTION("unsupported ops, domains, opsets and graph shapes") {
        CHECK_THAT(refusal_of<net>([](onnx::ModelProto& m) { node_of(m, "Relu").set_op_type("Selu"); }),
                   Catch::Contains("node '2:relu' (Selu) is where stag's 2:relu expects a Relu"));
        CHECK_THAT(refusal_of<net>([](onnx::ModelProto& m) { node_of(m, "Relu").set_domain("com.microsoft"); }),
                   Catch::Contains("is of domain 'com.microsoft'"));
        CHECK_THAT(refusal_of<net>([](onnx::ModelProto& m) { m.mutable_opset_import(0)->set_version(99); }), Catch::Contains("opset 99"));
        CHECK_THAT(refusal_of<net>([](onnx::ModelProto& m) { m.clear_opset_import(); }), Catch::Contains("imports no opset"));
        CHECK_THAT(refusal_of<net>([](onnx::ModelProto& m) {
                       onnx::ValueInfoProto& second = *m.mutable_graph()->add_input();
                       second = m.graph().input(0);
                       second.set_name("second");
                   }),
                   Catch::Contains("takes inputs 'input' and 'second'"));
        CHECK_THAT(refusal_of<net>([](onnx::ModelProto& m) {  // a residual connection
                       node_of(m, "Relu").add_input(node_of(m, "Conv").input(0));
                       node_of(m, "Relu").set_op_type("Add");
                   }),
                   Catch::Contains("a value the path has already passed: stag's networks are chains"));
        CHECK_THAT(refusal_of<net>([](onnx::ModelProto& m) { node_of(m, "Gemm").set_input(1, "nowhere"); }),
                   Catch::Contains("reads 'nowhere', which no earlier node, graph input or initializer gives"));
        CHECK_THAT(refusal_of<net>([](onnx::ModelProto& m) { m.mutable_graph()->mutable_output(0)->set_name("elsewhere"); }),
                   Catch::Contains("the graph's output 'elsewhere' is not the end of its path"));
        CHECK_THAT(refusal_of<net>([](onnx::ModelProto& m) { m.mutable_graph()->mutable_node()->RemoveLast(); }),
                   Catch::Contains("is not the end of its path"));
        CHECK_THAT(refusal_of<net>([](onnx::ModelProto& m) {
                       const std::string out = m.graph().node(m.graph().node_size() - 1).output(0);
                       m.mutable_graph()->mutable_node(m.graph().node_size() - 1)->set_output(0, "softmaxed");
                       insert_node(m, m.graph().node_size(), "Relu", "softmaxed", out);
                   }),
                   Catch::Contains("(Relu) follows the last layer of stag's network"));
    }
    SECTION("tensors of the wrong type, size or storage") {
        const auto kernel = [](onnx::ModelProto& m) -> onnx::TensorProto& { return initializer_of(m, node_of(m, "Gemm").input(1)); };
        CHECK_THAT(refusal_of<net>([&](onnx::ModelProto& m) { kernel(m).set_data_type(onnx::TensorProto::DOUBLE); }),
                   Catch::Contains("B holds DOUBLE values; stag reads FLOAT here"));
        CHECK_THAT(refusal_of<net>([&](onnx::ModelProto& m) { kernel(m).set_dims(0, 28); }),
                   Catch::Contains("has dims 28×5 (140 values) but 108 values") || Catch::Contains("bytes of data"));
        CHECK_THAT(refusal_of<net>([&](onnx::ModelProto& m) {
                       kernel(m).set_dims(0, std::int64_t{1} << 40);
                       kernel(m).set_dims(1, std::int64_t{1} << 40);
                   }),
                   Catch::Contains("which do not describe a tensor stag can hold"));
        CHECK_THAT(refusal_of<net>([&](onnx::ModelProto& m) { kernel(m).set_dims(0, -27); }), Catch::Contains("which do not describe a tensor"));
        CHECK_THAT(refusal_of<net>([&](onnx::ModelProto& m) { kernel(m).set_data_location(onnx::TensorProto::EXTERNAL); }),
                   Catch::Contains("is stored in an external file"));
        CHECK_THAT(refusal_of<net>([&](onnx::ModelProto& m) {  // another network's dense: 30 units where stag has 5
                       set_floats(kernel(m), {27, 30}, std::vector<float>(27 * 30, 0.5f));
                   }),
                   Catch::Contains("B is 27×30 (inputs × units) where stag's 5:dense<5> expects 27 inputs and 5 units"));
        CHECK_THAT(refusal_of<net>([&](onnx::ModelProto& m) {
                       onnx::TensorProto& w = initializer_of(m, node_of(m, "Conv").input(1));
                       set_floats(w, {3, 2, 5, 5}, std::vector<float>(150, 0.5f));
                   }),
                   Catch::Contains("W is 3×2×5×5 where stag's 1:conv2d<3, 3x3, same> expects filters × channels × H × W = 3×2×3×3"));
    }
    SECTION("attributes stag does not have, or of the wrong type") {
        const auto conv = [](onnx::ModelProto& m) -> onnx::NodeProto& { return node_of(m, "Conv"); };
        CHECK_THAT(refusal_of<net>([&](onnx::ModelProto& m) {
                       onnx::AttributeProto& d = attribute_of(conv(m), "dilations");
                       d.set_ints(0, 2);
                       d.set_ints(1, 2);
                   }),
                   Catch::Contains("dilations 2×2: stag's windows are not dilated"));
        CHECK_THAT(refusal_of<net>([&](onnx::ModelProto& m) {
                       onnx::AttributeProto& k = attribute_of(conv(m), "kernel_shape");
                       k.clear_ints();
                       k.set_type(onnx::AttributeProto::FLOAT);
                       k.set_f(3);
                   }),
                   Catch::Contains("attribute 'kernel_shape' is of type FLOAT, not INTS"));
        CHECK_THAT(refusal_of<net>([&](onnx::ModelProto& m) {
                       onnx::AttributeProto& x = attribute_of(conv(m), "unknown");
                       x.set_type(onnx::AttributeProto::INT);
                   }),
                   Catch::Contains("attribute 'unknown' is not one stag reads for Conv"));
        CHECK_THAT(refusal_of<net>([&](onnx::ModelProto& m) { attribute_of(conv(m), "pads").set_ints(2, 2); }),
                   Catch::Contains("pads 1×1×2×1 (an output of 7×6) where stag's 1:conv2d<3, 3x3, same> expects 'same' padding"));
        CHECK_THAT(refusal_of<net>([&](onnx::ModelProto& m) {
                       onnx::AttributeProto& s = attribute_of(node_of(m, "Softmax"), "axis");
                       s.set_i(0);
                   }),
                   Catch::Contains("a softmax over axis 0 where stag's 8:softmax expects a softmax over a vector's entries"));
        CHECK_THAT(refusal_of<net>([&](onnx::ModelProto& m) { attribute_of(node_of(m, "MaxPool"), "strides").set_ints(0, 1); }),
                   Catch::Contains("a window of 2×2 at strides 1×2 where stag's 3:max_pool<2x2> expects 2×2 at strides 2×2"));
        CHECK_THAT(refusal_of<flat_coverage_net>([&](onnx::ModelProto& m) { attribute_of(node_of(m, "BatchNormalization"), "epsilon").set_f(1e-5f); }),
                   Catch::Contains("epsilon 9.99999975e-06 where stag's 3:batch_norm expects epsilon 0.00100000005"));
    }
    SECTION("another network's graph") {
        const std::string other = temp_path("other.onnx");
        flat_coverage_net flat(2);
        save_onnx(flat, other);
        CHECK_THAT(refusal<net>(other), Catch::Contains("the graph's input 'input' is N×6 where stag's network takes N×C×H×W = N×2×6×6 (NCHW)"));
        CHECK_THAT(refusal_of<net>([](onnx::ModelProto& m) {  // the same graph, exported from another stag network
                       m.mutable_metadata_props(0)->set_value("input(None, 6, 6, 2) conv2d<3, 3x3, same, l2<1/100>>…");
                   }),
                   Catch::Contains("exported from another stag network"));
        CHECK_THAT(refusal_of<net>([](onnx::ModelProto& m) {  // a graph that ends early
                       auto& nodes = *m.mutable_graph()->mutable_node();
                       nodes.DeleteSubrange(nodes.size() - 2, 2);
                       m.mutable_graph()->mutable_output(0)->set_name(nodes.Get(nodes.size() - 1).output(0));
                   }),
                   Catch::Contains("the graph ends where stag's 7:dense<3> expects a Gemm (or MatMul) of 5 inputs and 3 units"));
    }
}

TEST_CASE("a weights file's format is told from its first bytes", "[interop]") {
    const std::string stag_file = temp_path("format.weights"), onnx_file = temp_path("format.bin");
    model<flat_coverage_net> m(2);
    m.save(stag_file);
    save_onnx(m, onnx_file);
    CHECK(weights_format_of(stag_file) == weights_format::stag);
    CHECK(weights_format_of(onnx_file) == weights_format::onnx);  // whatever its name
    CHECK(outputs_in(onnx_file) == std::optional<std::size_t>{2});
    model<flat_coverage_net> n(2, adam{}, 5);
    load_weights_file(n, onnx_file);
    CHECK(all_values(n.network()) == all_values(m.network()));
    CHECK_THROWS_WITH(weights_format_of(temp_path("absent")), Catch::Contains("cannot open weights file"));
}
