#pragma once
// Max and average pooling, NHWC, in double (see reference/gemm.hpp).
#include <cstddef>
#include <vector>

#include "stag/kernels/pooling.hpp"

namespace stag::kernels::reference {

struct pool_passes {
    std::vector<double> y, dx;
};

namespace detail {
// Calls window(o, inputs) for every output o with the indices of its window's inputs, in row-major order.
template <class Window>
void for_each_pool_window(const pool_geometry& g, const Window& window) {
    std::vector<std::size_t> inputs(g.pool_h * g.pool_w);
    for (std::size_t n = 0; n < g.batch; ++n)
        for (std::size_t oh = 0; oh < g.out_h; ++oh)
            for (std::size_t ow = 0; ow < g.out_w; ++ow)
                for (std::size_t c = 0; c < g.channels; ++c) {
                    for (std::size_t ph = 0; ph < g.pool_h; ++ph)
                        for (std::size_t pw = 0; pw < g.pool_w; ++pw)
                            inputs[ph * g.pool_w + pw] = ((n * g.in_h + oh * g.stride_h + ph) * g.in_w + ow * g.stride_w + pw) * g.channels + c;
                    window(((n * g.out_h + oh) * g.out_w + ow) * g.channels + c, inputs);
                }
}
}  // namespace detail

// y = the window's maximum; dy goes to the first input holding it (Keras breaks ties the same way).
inline pool_passes max_pool(const pool_geometry& g, const std::vector<float>& x, const std::vector<float>& dy) {
    pool_passes r{std::vector<double>(dy.size(), 0.0), std::vector<double>(x.size(), 0.0)};
    detail::for_each_pool_window(g, [&](std::size_t o, const std::vector<std::size_t>& inputs) {
        std::size_t at = inputs.front();
        for (std::size_t i : inputs)
            if (x[i] > x[at]) at = i;
        r.y[o] = x[at];
        r.dx[at] += dy[o];
    });
    return r;
}

// y = the mean of each window; dx = dy / window size to each of its inputs.
inline pool_passes average_pool(const pool_geometry& g, const std::vector<float>& x, const std::vector<float>& dy) {
    pool_passes r{std::vector<double>(dy.size(), 0.0), std::vector<double>(x.size(), 0.0)};
    const double size = double(g.pool_h * g.pool_w);
    detail::for_each_pool_window(g, [&](std::size_t o, const std::vector<std::size_t>& inputs) {
        for (std::size_t i : inputs) {
            r.y[o] += x[i] / size;
            r.dx[i] += dy[o] / size;
        }
    });
    return r;
}

}  // namespace stag::kernels::reference
