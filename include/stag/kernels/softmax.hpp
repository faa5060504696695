#pragma once
// Row-wise softmax, forward and backward (for a softmax that is not fused into its loss).
#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>

namespace stag::kernels {

inline void softmax_rows(std::size_t rows, std::size_t classes, const float* logits, float* probs) {
    assert(classes && (rows == 0 || (logits && probs)));
    for (std::size_t r = 0; r < rows; ++r) {
        const float* z = logits + r * classes;
        float* p = probs + r * classes;
        const float top = *std::max_element(z, z + classes);
        float sum = 0.0f;
        for (std::size_t c = 0; c < classes; ++c) sum += (p[c] = std::exp(z[c] - top));
        const float inv = 1.0f / sum;
        for (std::size_t c = 0; c < classes; ++c) p[c] *= inv;
    }
}

// softmax backward for a standalone softmax: dz = y ⊙ (dy − ⟨dy, y⟩), row by row.
inline void softmax_rows_backward(std::size_t rows, std::size_t classes, const float* y, const float* dy, float* dz) {
    assert(classes && (rows == 0 || (y && dy && dz)));
    for (std::size_t r = 0; r < rows; ++r) {
        const float* yr = y + r * classes;
        const float* dyr = dy + r * classes;
        float dot = 0.0f;
        for (std::size_t c = 0; c < classes; ++c) dot += dyr[c] * yr[c];
        for (std::size_t c = 0; c < classes; ++c) dz[r * classes + c] = yr[c] * (dyr[c] - dot);
    }
}

}  // namespace stag::kernels
