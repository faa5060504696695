#pragma once
// Bicubic resampling of a single-channel image (Keys' kernel, a = −0.5, as OpenCV and PIL use),
// with edge pixels replicated. Used to bring any PNG to the network's 32×32.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace stag::data {

namespace detail {
inline float cubic_weight(float x) {
    constexpr float a = -0.5f;
    x = std::abs(x);
    if (x <= 1.0f) return ((a + 2.0f) * x - (a + 3.0f)) * x * x + 1.0f;
    if (x < 2.0f) return ((a * x - 5.0f * a) * x + 8.0f * a) * x - 4.0f * a;
    return 0.0f;
}
}  // namespace detail

// src is h×w row-major; returns out_h×out_w. Pixel centres are aligned (half-pixel convention).
inline std::vector<float> resize_bicubic(const std::vector<float>& src, std::size_t h, std::size_t w, std::size_t out_h,
                                         std::size_t out_w) {
    if (h == out_h && w == out_w) return src;
    std::vector<float> out(out_h * out_w);
    const auto at = [&](long r, long c) {
        r = std::clamp(r, 0L, static_cast<long>(h) - 1);
        c = std::clamp(c, 0L, static_cast<long>(w) - 1);
        return src[static_cast<std::size_t>(r) * w + static_cast<std::size_t>(c)];
    };
    const float sy = float(h) / float(out_h), sx = float(w) / float(out_w);
    for (std::size_t oy = 0; oy < out_h; ++oy) {
        const float fy = (float(oy) + 0.5f) * sy - 0.5f;
        const long y0 = static_cast<long>(std::floor(fy));
        for (std::size_t ox = 0; ox < out_w; ++ox) {
            const float fx = (float(ox) + 0.5f) * sx - 0.5f;
            const long x0 = static_cast<long>(std::floor(fx));
            float sum = 0.0f;
            for (long dy = -1; dy <= 2; ++dy) {
                const float wy = detail::cubic_weight(fy - float(y0 + dy));
                for (long dx = -1; dx <= 2; ++dx) sum += wy * detail::cubic_weight(fx - float(x0 + dx)) * at(y0 + dy, x0 + dx);
            }
            out[oy * out_w + ox] = sum;
        }
    }
    return out;
}

}  // namespace stag::data
