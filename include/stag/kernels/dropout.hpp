#pragma once
// Inverted dropout with a counter-based mask: element i of a step is kept iff hash(key, i) ≥ rate, so
// the mask needs no generator state and no storage (backward recomputes it), vectorises, and is the
// same on any number of threads.
#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>

#include "stag/kernels/elementwise.hpp"
#include "stag/kernels/parallel.hpp"

namespace stag::kernels {

namespace detail {

using vuint = xsimd::batch<std::uint32_t>;
static_assert(vuint::size == simd::width);

// A 32-bit integer mixer (Wellons' "lowbias32"); two rounds around the key make a keyed hash.
inline vuint mix32(vuint x) {
    x ^= x >> 16;
    x *= vuint(0x7feb352du);
    x ^= x >> 15;
    x *= vuint(0x846ca68bu);
    return x ^ (x >> 16);
}

// The factors (0 or 1/(1 − rate)) for elements [first, first + width).
inline vfloat dropout_factors(std::size_t first, std::uint64_t key, float rate) {
    alignas(64) static constexpr auto lanes = [] {
        std::array<std::uint32_t, simd::width> a{};
        for (std::uint32_t i = 0; i < simd::width; ++i) a[i] = i;
        return a;
    }();
    const vuint index = vuint(static_cast<std::uint32_t>(first)) + vuint::load_aligned(lanes.data());
    const vuint h = mix32(mix32(index ^ vuint(static_cast<std::uint32_t>(key))) ^ vuint(static_cast<std::uint32_t>(key >> 32)));
    const vfloat uniform = xsimd::to_float(xsimd::bitwise_cast<xsimd::batch<std::int32_t>>(h >> 8)) * vfloat(0x1.0p-24f);
    return xsimd::select(uniform >= vfloat(rate), vfloat(1.0f / (1.0f - rate)), vfloat(0.0f));
}

}  // namespace detail

// A step's mask: elements are numbered from first_element on (a replica's share of a batch starts where its
// rows start in the whole batch, so the shares' masks together are the whole batch's mask).
struct dropout_mask {
    float rate;
    std::uint64_t key;
    std::size_t first_element = 0;
};

// out[i] = in[i] · factor(key, first_element + i). Forward applies it to x, backward to ∂y: the same mask
// both ways. `in` and `out` may alias.
inline void dropout_apply(std::size_t n, const float* in, float* out, const dropout_mask& mask) {
    const float rate = mask.rate;
    const std::uint64_t key = mask.key;
    assert((n == 0 || (in && out)) && rate >= 0.0f && rate < 1.0f);
    constexpr std::size_t chunk = 1 << 14;  // a multiple of the vector width: lanes keep their indices
    for_tiles((n + chunk - 1) / chunk, 8.0 * chunk, [&](std::size_t first, std::size_t last) {
        for (std::size_t c = first; c < last; ++c) {
            const std::size_t begin = c * chunk, len = std::min(chunk, n - begin);
            const std::size_t numbered = mask.first_element + begin;
            transform(
                len, out + begin, [&](vfloat v, std::size_t i) { return v * detail::dropout_factors(numbered + i, key, rate); }, in + begin);
        }
    });
}

}  // namespace stag::kernels
