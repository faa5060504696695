#pragma once
// The one place that chooses the vector type: the widest the build targets (-march).
#include <xsimd/xsimd.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace stag::simd {

using vfloat = xsimd::batch<float>;
inline constexpr std::size_t width = vfloat::size;
inline constexpr std::size_t registers = XSIMD_WITH_AVX512F ? 32 : 16;  // vector registers the target names

inline vfloat load(const float* p) { return vfloat::load_unaligned(p); }
inline void store(float* p, vfloat v) { v.store_unaligned(p); }

// The first `count` (≤ width) lanes of a vector, for loads of a column tail that read nothing past it: a mask
// register where the target has one, so that a tail loaded on every step of a long loop costs a plain load.
#if XSIMD_WITH_AVX512F  // then vfloat is the 16-lane AVX-512 vector
struct first_lanes {
    __mmask16 mask;
    explicit first_lanes(std::size_t count) : mask(static_cast<__mmask16>((1u << count) - 1u)) {}
};
inline vfloat load(const float* p, first_lanes lanes) { return _mm512_maskz_loadu_ps(lanes.mask, p); }
#elif XSIMD_WITH_AVX2
struct first_lanes {
    __m256i mask;
    explicit first_lanes(std::size_t count)
        : mask(_mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(count)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7))) {}
};
inline vfloat load(const float* p, first_lanes lanes) { return _mm256_maskload_ps(p, lanes.mask); }
#else
struct first_lanes {
    std::size_t count;
    explicit first_lanes(std::size_t n) : count(n) {}
};
inline vfloat load(const float* p, first_lanes lanes) {
    if (lanes.count == width) return load(p);
    alignas(64) float padded[width] = {};
    std::copy(p, p + lanes.count, padded);
    return vfloat::load_aligned(padded);
}
#endif

// Bit i set where p[i] is not zero (NaN counts as not zero), for the first n ≤ 64 floats at p.
inline std::uint64_t nonzero_bits(const float* p, std::size_t n) {
    std::uint64_t bits = 0;
#if XSIMD_WITH_AVX512F
    for (std::size_t i = 0; i < n; i += width) {
        const vfloat v = load(p + i, first_lanes(std::min(width, n - i)));
        bits |= std::uint64_t{_mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_NEQ_UQ)} << i;
    }
#else
    for (std::size_t i = 0; i < n; ++i) bits |= std::uint64_t{p[i] != 0.0f} << i;
#endif
    return bits;
}

}  // namespace stag::simd
