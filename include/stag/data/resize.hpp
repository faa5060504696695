#pragma once
// Resampling a single-channel image to the network's input size, with stb_image_resize (Debian's
// libstb): Catmull-Rom when enlarging, Mitchell–Netravali widened by the scale when shrinking (so a
// large radiograph does not alias), edges clamped, values in linear light as they are stored.
#include <stb_image_resize.h>

#include <cstddef>
#include <string>
#include <vector>

#include "stag/core/error.hpp"

namespace stag::data {

// src is h×w row-major; writes out_h×out_w floats to out.
inline void resize_into(const float* src, std::size_t h, std::size_t w, float* out, std::size_t out_h, std::size_t out_w) {
    if (h == out_h && w == out_w) {
        std::copy(src, src + h * w, out);
        return;
    }
    const auto i = [](std::size_t v) { return static_cast<int>(v); };
    if (!stbir_resize_float_generic(src, i(w), i(h), 0, out, i(out_w), i(out_h), 0, 1, STBIR_ALPHA_CHANNEL_NONE, 0,
                                    STBIR_EDGE_CLAMP, STBIR_FILTER_DEFAULT, STBIR_COLORSPACE_LINEAR, nullptr))
        throw error("resize: stb_image_resize failed for " + std::to_string(h) + "x" + std::to_string(w) + " -> " +
                    std::to_string(out_h) + "x" + std::to_string(out_w));
}

inline std::vector<float> resize(const std::vector<float>& src, std::size_t h, std::size_t w, std::size_t out_h, std::size_t out_w) {
    std::vector<float> out(out_h * out_w);
    resize_into(src.data(), h, w, out.data(), out_h, out_w);
    return out;
}

}  // namespace stag::data
