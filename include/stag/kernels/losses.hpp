#pragma once
// Losses of a batch of network outputs against integer class labels (one-hot targets), with Keras'
// semantics and clipping; each returns the summed row losses and the rows whose arg-max is the label,
// and, given a gradient buffer, writes the gradient of the batch mean (of the whole batch's mean, for a share).
#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace stag::kernels {

inline constexpr float keras_epsilon = 1e-7f;

struct scored_rows {
    std::size_t rows, classes;
    const float* output;          // rows × classes
    const std::uint8_t* labels;   // rows, each < classes
    std::size_t mean_over = 0;    // the rows of the whole batch when these are one replica's share (0: rows)
};

struct batch_score {
    double loss_sum = 0.0;     // Σ over rows of the row loss
    std::size_t correct = 0;   // rows whose arg-max is the label
};

namespace detail {
// row_loss(p, label, g) returns one row's loss and, if g is not null, writes its gradient times `scale`.
template <class RowLoss>
batch_score score_rows(const scored_rows& b, float* gradient, const RowLoss& row_loss) {
    assert(b.rows && b.classes && b.output && b.labels);
    for (std::size_t r = 0; r < b.rows; ++r) assert(b.labels[r] < b.classes);
    batch_score score;
    const float scale = 1.0f / static_cast<float>(b.mean_over ? b.mean_over : b.rows);
    for (std::size_t r = 0; r < b.rows; ++r) {
        const float* p = b.output + r * b.classes;
        const std::size_t label = b.labels[r];
        score.loss_sum += row_loss(p, label, gradient ? gradient + r * b.classes : nullptr, scale);
        score.correct += static_cast<std::size_t>(std::max_element(p, p + b.classes) - p) == label;
    }
    return score;
}
}  // namespace detail

// Categorical cross-entropy of softmax probabilities: −log(clip(p_label, ε, 1 − ε)). The gradient is the
// fused softmax + cross-entropy one, (p − onehot) / rows, with respect to the logits.
inline batch_score cross_entropy(const scored_rows& b, float* grad_logits) {
    return detail::score_rows(b, grad_logits, [&](const float* p, std::size_t label, float* g, float scale) {
        for (std::size_t c = 0; g && c < b.classes; ++c) g[c] = (p[c] - (c == label ? 1.0f : 0.0f)) * scale;
        return -double(std::log(std::clamp(p[label], keras_epsilon, 1.0f - keras_epsilon)));
    });
}

// Mean squared error over the classes: mean_c (p_c − t_c)²; gradient 2 (p − t) / (classes · rows).
inline batch_score mean_squared_error(const scored_rows& b, float* grad) {
    return detail::score_rows(b, grad, [&](const float* p, std::size_t label, float* g, float scale) {
        double sum = 0.0;
        for (std::size_t c = 0; c < b.classes; ++c) {
            const float e = p[c] - (c == label ? 1.0f : 0.0f);
            sum += double(e) * e;
            if (g) g[c] = 2.0f * e * scale / static_cast<float>(b.classes);
        }
        return sum / double(b.classes);
    });
}

// Binary cross-entropy per class, averaged over the classes, as TensorFlow computes it from
// probabilities: p clipped to [ε, 1 − ε], then −(t log(p + ε) + (1 − t) log(1 − p + ε)). Outside the clip
// the gradient is zero, as through TensorFlow's clip_by_value.
inline batch_score binary_cross_entropy(const scored_rows& b, float* grad) {
    return detail::score_rows(b, grad, [&](const float* p, std::size_t label, float* g, float scale) {
        double sum = 0.0;
        for (std::size_t c = 0; c < b.classes; ++c) {
            const float t = c == label ? 1.0f : 0.0f, q = std::clamp(p[c], keras_epsilon, 1.0f - keras_epsilon);
            sum -= t * std::log(double(q) + keras_epsilon) + (1.0f - t) * std::log(1.0 - q + keras_epsilon);
            if (g) {
                const bool clipped = q != p[c];
                g[c] = clipped ? 0.0f : -(t / (q + keras_epsilon) - (1.0f - t) / (1.0f - q + keras_epsilon)) * scale / static_cast<float>(b.classes);
            }
        }
        return sum / double(b.classes);
    });
}

}  // namespace stag::kernels
