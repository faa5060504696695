#pragma once
// Inside stag::interop: how ONNX's layouts (NCHW maps, OIHW kernels, a Flatten of NCHW maps) map onto
// stag's (NHWC, HWIO, a flatten of NHWC maps). Every conversion is a reordering: values are copied, never
// computed, which is why a round trip is bit-exact.
#include <array>
#include <cstddef>
#include <vector>

namespace stag::onnx_io {

// dst[i0][i1][i2][i3] = src[j…] where dst's axis k is src's axis perm[k].
inline std::vector<float> permuted(const std::vector<float>& src, const std::array<std::size_t, 4>& src_dims, const std::array<std::size_t, 4>& perm) {
    std::array<std::size_t, 4> src_stride{}, dst_dims{};
    src_stride[3] = 1;
    for (std::size_t k = 3; k > 0; --k) src_stride[k - 1] = src_stride[k] * src_dims[k];
    for (std::size_t k = 0; k < 4; ++k) dst_dims[k] = src_dims[perm[k]];
    std::vector<float> dst(src.size());
    std::size_t at = 0;
    for (std::size_t a = 0; a < dst_dims[0]; ++a)
        for (std::size_t b = 0; b < dst_dims[1]; ++b)
            for (std::size_t c = 0; c < dst_dims[2]; ++c)
                for (std::size_t d = 0; d < dst_dims[3]; ++d)
                    dst[at++] = src[a * src_stride[perm[0]] + b * src_stride[perm[1]] + c * src_stride[perm[2]] + d * src_stride[perm[3]]];
    return dst;
}

inline constexpr std::array<std::size_t, 4> oihw_from_hwio{3, 2, 0, 1}, hwio_from_oihw{2, 3, 1, 0};
inline constexpr std::array<std::size_t, 4> nhwc_from_nchw{0, 2, 3, 1}, nchw_from_nhwc{0, 3, 1, 2};

// A vector flattened from an h × w × c map: in ONNX's order (channel, row, column) when the map was NCHW,
// in stag's (row, column, channel) when it was NHWC.
struct flattened_map {
    std::size_t h = 1, w = 1, c = 1;
    // Whether the two orders differ at all (not for one channel, nor for a 1 × 1 map).
    bool reorders() const { return c > 1 && h * w > 1; }
    std::size_t stag_index(std::size_t onnx_index) const {
        const std::size_t pixels = h * w;
        return (onnx_index % pixels) * c + onnx_index / pixels;
    }
};

// Rows of a rows × cols matrix whose rows are a flattened map, moved from ONNX's order to stag's, or back.
inline std::vector<float> rows_to_stag_order(const std::vector<float>& m, std::size_t cols, const flattened_map& map) {
    std::vector<float> out(m.size());
    for (std::size_t r = 0; r < map.h * map.w * map.c; ++r)
        for (std::size_t j = 0; j < cols; ++j) out[map.stag_index(r) * cols + j] = m[r * cols + j];
    return out;
}
inline std::vector<float> rows_to_onnx_order(const std::vector<float>& m, std::size_t cols, const flattened_map& map) {
    std::vector<float> out(m.size());
    for (std::size_t r = 0; r < map.h * map.w * map.c; ++r)
        for (std::size_t j = 0; j < cols; ++j) out[r * cols + j] = m[map.stag_index(r) * cols + j];
    return out;
}

}  // namespace stag::onnx_io
