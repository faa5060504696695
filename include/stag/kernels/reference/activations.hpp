#pragma once
// An activation's backward pass over a rows × cols matrix with the column sums of its result (the bias
// gradient), element by element in double (see reference/gemm.hpp).
#include <cstddef>
#include <vector>

#include "stag/kernels/activations.hpp"

namespace stag::kernels::reference {

struct activation_backward_passes {
    std::vector<double> dz, column_sums;
};

template <fn::activation_function F>
activation_backward_passes activation_backward_column_sums(std::size_t rows, std::size_t cols, const std::vector<float>& y,
                                                           const std::vector<float>& dy) {
    activation_backward_passes r{std::vector<double>(dy.size()), std::vector<double>(cols, 0.0)};
    for (std::size_t i = 0; i < rows * cols; ++i) {
        r.dz[i] = double(dy[i]) * F::derivative(simd::vfloat(y[i])).get(0);
        r.column_sums[i % cols] += r.dz[i];
    }
    return r;
}

}  // namespace stag::kernels::reference
