#pragma once
#include <string>

#include "stag/layers/layer.hpp"

namespace stag {

// H×W×C → H·W·C. Row-major NHWC storage is already flat, so the graph aliases its buffers: no copy.
struct flatten {
    static constexpr bool is_view = true;
    static constexpr layer_facts facts{.kind = layer_kind::flatten};
    static std::string name() { return "flatten"; }
    static constexpr bool accepts(shape) { return true; }
    static constexpr shape output_shape(shape in) { return {1, 1, in.size()}; }

    template <shape In>
    struct bind : layer_storage<0> {
        static constexpr shape input_shape = In, output_shape = flatten::output_shape(In);
        static constexpr std::array<tensor_desc, 0> tensors{};
        void initialize(rng&) {}
    };
};

}  // namespace stag
