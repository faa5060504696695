#pragma once
// The textbook convolution, NHWC × HWIO, in double (see reference/gemm.hpp).
#include <cstddef>
#include <vector>

#include "stag/kernels/conv/geometry.hpp"

namespace stag::kernels::reference {

// Visits every (output, tap) pair whose tap falls inside the input: tap(out_index, in_index, weight_index).
template <class Tap>
void for_each_conv_tap(const conv_geometry& g, const Tap& tap) {
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

struct conv_passes {
    std::vector<double> y, dw, dx;  // forward, backward-weights, backward-data
};

// The three passes for input x, filters w and output gradient dz.
inline conv_passes conv(const conv_geometry& g, const std::vector<float>& x, const std::vector<float>& w, const std::vector<float>& dz) {
    conv_passes r{std::vector<double>(dz.size(), 0.0), std::vector<double>(w.size(), 0.0), std::vector<double>(x.size(), 0.0)};
    for_each_conv_tap(g, [&](std::size_t o, std::size_t i, std::size_t k) {
        r.y[o] += double(x[i]) * w[k];
        r.dw[k] += double(x[i]) * dz[o];
        r.dx[i] += double(w[k]) * dz[o];
    });
    return r;
}

}  // namespace stag::kernels::reference
