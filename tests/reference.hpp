#pragma once
// Plain, obviously-correct reference computations the kernels are tested against.
#include <cstddef>
#include <vector>

#include "stag/kernels/conv.hpp"
#include "stag/kernels/gemm.hpp"
#include "stag/kernels/pooling.hpp"

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

// The textbook convolution, NHWC × HWIO, in double. Visits every (output, tap) pair and calls
// tap(out_index, in_index, weight_index) for the taps that fall inside the input.
template <class Tap>
void for_each_conv_tap(const kernels::conv_geometry& g, const Tap& tap) {
    for (std::size_t n = 0; n < g.batch; ++n)
        for (std::size_t oh = 0; oh < g.out_h; ++oh)
            for (std::size_t ow = 0; ow < g.out_w; ++ow)
                for (std::size_t kh = 0; kh < g.kernel_h; ++kh)
                    for (std::size_t kw = 0; kw < g.kernel_w; ++kw) {
                        const auto y = static_cast<std::ptrdiff_t>(oh * g.stride + kh) - static_cast<std::ptrdiff_t>(g.pad_top);
                        const auto x = static_cast<std::ptrdiff_t>(ow * g.stride + kw) - static_cast<std::ptrdiff_t>(g.pad_left);
                        if (y < 0 || x < 0 || y >= static_cast<std::ptrdiff_t>(g.in_h) || x >= static_cast<std::ptrdiff_t>(g.in_w)) continue;
                        for (std::size_t c = 0; c < g.channels; ++c)
                            for (std::size_t f = 0; f < g.filters; ++f)
                                tap(((n * g.out_h + oh) * g.out_w + ow) * g.filters + f,
                                    ((n * g.in_h + static_cast<std::size_t>(y)) * g.in_w + static_cast<std::size_t>(x)) * g.channels + c,
                                    ((kh * g.kernel_w + kw) * g.channels + c) * g.filters + f);
                    }
}

// Average pooling, NHWC, in double: y = the mean of each window; dx = dy / window size to each of its inputs.
struct average_pool_result {
    std::vector<double> y, dx;
};
inline average_pool_result reference_average_pool(const kernels::pool_geometry& g, const std::vector<float>& x, const std::vector<float>& dy) {
    average_pool_result r{std::vector<double>(g.batch * g.out_h * g.out_w * g.channels, 0.0), std::vector<double>(x.size(), 0.0)};
    const double window = double(g.pool_h * g.pool_w);
    for (std::size_t n = 0; n < g.batch; ++n)
        for (std::size_t oh = 0; oh < g.out_h; ++oh)
            for (std::size_t ow = 0; ow < g.out_w; ++ow)
                for (std::size_t c = 0; c < g.channels; ++c) {
                    const std::size_t o = ((n * g.out_h + oh) * g.out_w + ow) * g.channels + c;
                    for (std::size_t ph = 0; ph < g.pool_h; ++ph)
                        for (std::size_t pw = 0; pw < g.pool_w; ++pw) {
                            const std::size_t i = ((n * g.in_h + oh * g.stride_h + ph) * g.in_w + ow * g.stride_w + pw) * g.channels + c;
                            r.y[o] += x[i] / window;
                            r.dx[i] += dy[o] / window;
                        }
                }
    return r;
}

}  // namespace stag::testing
