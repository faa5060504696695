#pragma once
#include <string>

#include "stag/layers/layer.hpp"

namespace stag {

// The first entry of every network: the shape of one sample, height × width × channels.
template <std::size_t H, std::size_t W, std::size_t C>
struct input {
    static_assert(H > 0 && W > 0 && C > 0, "input<H, W, C>: every dimension must be positive");
    static constexpr bool is_input = true;
    static constexpr layer_facts facts{.kind = layer_kind::input};
    static constexpr shape sample_shape{H, W, C};
    static std::string name() { return "input"; }
    static constexpr bool accepts(shape) { return true; }
    static constexpr shape output_shape(shape) { return sample_shape; }

    template <shape In>
    struct bind : layer_storage<0> {
        static constexpr shape input_shape = sample_shape, output_shape = sample_shape;
        static constexpr std::array<tensor_desc, 0> tensors{};
        void initialize(rng&) {}
    };
};

}  // namespace stag
