#pragma once
// ONNX in and out (docs/interop.md); link stag::interop. The file formats are compiled once in that library:
// this header holds only what a network's type must supply, so it costs a network's translation unit nothing.
//
// save_onnx writes the inference graph (opset 13): Conv, Gemm, MaxPool, AveragePool, BatchNormalization with
// the moving statistics, the activations and Softmax, dropout removed. Its input is NCHW, ONNX's convention:
// conv kernels are written OIHW, and the dense kernel after a flatten of a map has its rows reordered so that
// ONNX's Flatten of NCHW maps feeds it (what torch.onnx.export writes). For grey images NCHW and stag's NHWC
// are the same bytes. Nodes and initializers carry the summary's names ("2:dense<300, he_normal>").
//
// load_onnx reads a file into a network only if its graph is the network's: the op sequence, attributes and
// initializer shapes are checked entry by entry, and the first disagreement is one file_error naming the
// node, what the network expects there and the file. It reads stag's own files (bit-exact round trip) and
// those of torch.onnx.export for an equivalent nn.Sequential. A refused file changes no weight.
#include <string>

#include "stag/graph/description.hpp"

namespace stag {

void save_onnx(const network_view& net, const std::string& path);
void load_onnx(const network_view& net, const std::string& path);

// Instantiated only for an entry that has no ONNX form (a custom layer or activation function); the compiler
// prints the entry's index and spec with the message.
template <std::size_t Entry, class Spec>
struct entry_has_no_onnx_form {
    static_assert(Entry == no_layer, "stag::save_onnx: the entry named above ('entry_has_no_onnx_form<index, spec>') is a custom "
                                     "layer or activation, which ONNX files cannot describe");
};

namespace detail {
constexpr bool has_onnx_form(const layer_facts& f) {
    return f.kind != layer_kind::custom && (f.kind != layer_kind::activation || f.function != function_kind::custom);
}
template <class Net>
constexpr bool check_onnx_forms() {
    return []<std::size_t... I>(std::index_sequence<I...>) {
        return ((sizeof(std::conditional_t<has_onnx_form(Net::facts[I]), std::true_type,
                                           entry_has_no_onnx_form<I, typename Net::template spec_at<I>>>) > 0) && ...);
    }(std::make_index_sequence<Net::facts.size()>{});
}
}  // namespace detail

template <class... Specs>
void save_onnx(network<Specs...>& net, const std::string& path) {
    static_assert(detail::check_onnx_forms<network<Specs...>>());
    save_onnx(view_of(net), path);
}
template <class... Specs>
void load_onnx(network<Specs...>& net, const std::string& path) {
    load_onnx(view_of(net), path);
}
// A model (graph/model.hpp): its network.
template <class Model>
    requires requires(Model& m) { view_of(m.network()); }
void save_onnx(Model& m, const std::string& path) {
    save_onnx(m.network(), path);
}
template <class Model>
    requires requires(Model& m) { view_of(m.network()); }
void load_onnx(Model& m, const std::string& path) {
    load_onnx(m.network(), path);
}

}  // namespace stag
