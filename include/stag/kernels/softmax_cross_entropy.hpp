#pragma once
// Row-wise softmax and categorical cross-entropy with Keras' semantics: the loss of a row is
// −log(clip(p_label, 1e-7, 1 − 1e-7)); the gradient handed back is the exact softmax+CE one,
// (p − onehot) / batch, with respect to the logits (the softmax Jacobian is never formed).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace stag::kernels {

inline constexpr float keras_epsilon = 1e-7f;

inline void softmax_rows(std::size_t rows, std::size_t classes, const float* logits, float* probs) {
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
    for (std::size_t r = 0; r < rows; ++r) {
        const float* yr = y + r * classes;
        const float* dyr = dy + r * classes;
        float dot = 0.0f;
        for (std::size_t c = 0; c < classes; ++c) dot += dyr[c] * yr[c];
        for (std::size_t c = 0; c < classes; ++c) dz[r * classes + c] = yr[c] * (dyr[c] - dot);
    }
}

struct batch_score {
    double loss_sum = 0.0;     // Σ over rows of the row loss
    std::size_t correct = 0;   // rows whose arg-max is the label
};

// Scores probabilities against integer labels; if grad_logits is given, writes (p − onehot)/grad_scale_rows.
inline batch_score cross_entropy(std::size_t rows, std::size_t classes, const float* probs, const std::uint8_t* labels,
                                 float* grad_logits, std::size_t grad_scale_rows) {
    batch_score score;
    const float inv_rows = grad_logits ? 1.0f / static_cast<float>(grad_scale_rows) : 0.0f;
    for (std::size_t r = 0; r < rows; ++r) {
        const float* p = probs + r * classes;
        const std::size_t label = labels[r];
        score.loss_sum -= std::log(std::clamp(p[label], keras_epsilon, 1.0f - keras_epsilon));
        score.correct += static_cast<std::size_t>(std::max_element(p, p + classes) - p) == label;
        if (!grad_logits) continue;
        float* g = grad_logits + r * classes;
        for (std::size_t c = 0; c < classes; ++c) g[c] = (p[c] - (c == label ? 1.0f : 0.0f)) * inv_rows;
    }
    return score;
}

}  // namespace stag::kernels
