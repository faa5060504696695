#pragma once
// Small networks that between them hold every layer and option the ONNX export writes: same and valid
// convolutions with strides and leftover rows, every activation, max and overlapping average pools, batch norm
// over channels, image rows, image columns and a flattened vector, a flatten that feeds dense directly (rows
// reordered) and one that does not (a Transpose), and a flat input. The interop tests round-trip them and run
// them in ONNX Runtime (tests/interop/).
#include "stag/stag.hpp"

namespace stag::testing {

using map_coverage_net =
    sequential<input<10, 12, 3>, conv<5, kernel<3, 3>, same_padding, strides<2>>, leaky_relu<std::ratio<1, 5>>, batch_norm<norm_axis::columns>,
               average_pool<2, 2, 1, 1>, conv<4, kernel<2, 3>>, elu<std::ratio<3, 2>>, batch_norm<norm_axis::rows>, flatten, dropout<std::ratio<1, 4>>,
               batch_norm<>, dense<6>, tanh_activation, dense<3>, softmax>;
using pool_coverage_net = sequential<input<6, 6, 2>, conv<3, kernel<3, 3>, same_padding>, relu, max_pool<2>, flatten, dense<5>, sigmoid, dense<3>, softmax>;
using flat_coverage_net = sequential<input<1, 1, 6>, dense<4>, elu<>, batch_norm<>, dense<2>, softmax>;

// Every tensor filled from a fixed sequence, so that no two entries of a tensor are alike (permutation mistakes
// show) and the moving variances are positive.
template <class Net>
void fill_distinct(Net& net, std::uint32_t seed) {
    std::uint32_t state = seed * 2654435761u + 1;
    for (const parameter_ref& t : net.all_tensors()) {
        const bool variance = t.name.ends_with("moving_variance");
        for (std::size_t i = 0; i < t.size; ++i) {
            state = state * 1664525u + 1013904223u;
            const float u = static_cast<float>(state >> 8) / 16777216.0f;  // [0, 1)
            t.value[i] = variance ? 0.5f + u : u - 0.5f;
        }
    }
}

}  // namespace stag::testing
