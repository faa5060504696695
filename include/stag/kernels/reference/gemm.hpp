#pragma once
// Plain, obviously-correct definitions of what the kernels compute, in double: what the tests and the
// benchmarks check the fast kernels against, and what a user can compare a port with. Slow on purpose.
#include <cstddef>
#include <vector>

#include "stag/kernels/gemm.hpp"

namespace stag::kernels::reference {

// C = A·B for strided A (m×k) and B (k×n), row-major m×n.
inline std::vector<double> gemm(std::size_t m, std::size_t n, std::size_t k, matrix_cref a, matrix_cref b) {
    std::vector<double> c(m * n, 0.0);
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = 0; j < n; ++j) {
            double s = 0.0;
            for (std::size_t kk = 0; kk < k; ++kk) s += double(a(i, kk)) * b(kk, j);
            c[i * n + j] = s;
        }
    return c;
}

}  // namespace stag::kernels::reference
