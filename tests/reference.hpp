#pragma once
// Plain, obviously-correct reference computations the kernels are tested against.
#include <cstddef>
#include <vector>

#include "stag/kernels/gemm.hpp"

namespace stag::testing {

// C = A·B in double, for strided A (m×k) and B (k×n).
inline std::vector<double> reference_gemm(std::size_t m, std::size_t n, std::size_t k, kernels::matrix_cref a,
                                          kernels::matrix_cref b) {
    std::vector<double> c(m * n, 0.0);
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = 0; j < n; ++j) {
            double s = 0.0;
            for (std::size_t kk = 0; kk < k; ++kk) s += double(a(i, kk)) * b(kk, j);
            c[i * n + j] = s;
        }
    return c;
}

}  // namespace stag::testing
