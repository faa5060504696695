#pragma once
// Post-ops: what a matrix kernel applies to its accumulators on the way to memory. Output epilogues see
// one vector of accumulators and the column of its first lane; weight epilogues see one summed weight
// gradient and its index.
#include <cstddef>

#include "stag/kernels/activations.hpp"
#include "stag/kernels/micro_tile.hpp"

namespace stag::kernels {

// Matrix kernels (gemm, conv_forward) hand an output epilogue whole panels of tile_cols columns, so an
// epilogue that reads a per-column operand reads up to this many floats past the operand's last column.
// Whoever allocates such an operand leaves this much room after it (graph/sequential.hpp does, once).
inline constexpr std::size_t epilogue_over_read = tile_cols - 1;

struct store_plain {
    static constexpr std::size_t over_read = 0;
    vfloat operator()(vfloat acc, std::size_t) const { return acc; }
};

// y = f(acc + bias): the dense and conv forward passes.
template <fn::activation_function F>
struct bias_activation {
    static constexpr std::size_t over_read = epilogue_over_read;
    const float* bias;
    vfloat operator()(vfloat acc, std::size_t col) const { return F::apply(acc + simd::load(bias + col)); }
};

template <class E>
concept output_epilogue = requires(const E e, vfloat acc, std::size_t col) {
    { e(acc, col) } -> std::same_as<vfloat>;
    { E::over_read } -> std::convertible_to<std::size_t>;
} && E::over_read <= epilogue_over_read;

// ∂w as summed.
struct keep_sum {
    float operator()(std::size_t, float sum) const { return sum; }
};

// ∂w + the penalty's gradient at w: how a regulariser (core/regularizers.hpp) joins the weight gradient.
template <class Penalty>
struct plus_penalty_gradient {
    const float* w;
    float operator()(std::size_t k, float sum) const { return sum + Penalty::gradient(w[k]); }
};

template <class E>
concept weight_epilogue = requires(const E e, std::size_t k, float sum) {
    { e(k, sum) } -> std::convertible_to<float>;
};

}  // namespace stag::kernels
