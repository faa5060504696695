#pragma once
// The loss a model trains on: a type, the third parameter of `model`. Each scores a batch of outputs
// against class labels and writes the gradient the backward pass starts from.
#include <concepts>
#include <string>

#include "stag/kernels/losses.hpp"

namespace stag {

// Keras' categorical_crossentropy behind a final softmax, fused with it: the gradient is taken at the logits.
struct categorical_cross_entropy {
    static std::string name() { return "categorical_crossentropy"; }
    static constexpr bool gradient_at_logits = true;
    static kernels::batch_score score(const kernels::scored_rows& b, float* gradient) { return kernels::cross_entropy(b, gradient); }
};

// Keras' mean_squared_error against one-hot targets; backward runs through every layer, the last included.
struct mean_squared_error {
    static std::string name() { return "mean_squared_error"; }
    static constexpr bool gradient_at_logits = false;
    static kernels::batch_score score(const kernels::scored_rows& b, float* gradient) { return kernels::mean_squared_error(b, gradient); }
};

// Keras' binary_crossentropy against one-hot targets, for sigmoid outputs (one independent probability per class).
struct binary_cross_entropy {
    static std::string name() { return "binary_crossentropy"; }
    static constexpr bool gradient_at_logits = false;
    static kernels::batch_score score(const kernels::scored_rows& b, float* gradient) { return kernels::binary_cross_entropy(b, gradient); }
};

// score() writes ∂(batch mean loss)/∂output into its gradient buffer when one is given; a loss with
// gradient_at_logits writes it with respect to the input of the network's final softmax instead.
template <class L>
struct loss_members {
    static constexpr bool name = requires { { L::name() } -> std::convertible_to<std::string>; };
    static constexpr bool gradient_at_logits = requires { { L::gradient_at_logits } -> std::convertible_to<bool>; };
    static constexpr bool score = requires(const kernels::scored_rows& b, float* g) {
        { L::score(b, g) } -> std::same_as<kernels::batch_score>;
    };
    static constexpr bool all = name && gradient_at_logits && score;
};
template <class L>
concept loss_function = loss_members<L>::all;
template <class L>
struct loss_check {
    using has = loss_members<L>;
    static_assert(has::name, "stag loss needs `static std::string name()`");
    static_assert(has::gradient_at_logits, "stag loss needs `static constexpr bool gradient_at_logits`");
    static_assert(has::score, "stag loss needs `static kernels::batch_score score(const kernels::scored_rows&, float* gradient)`");
};

// Whether backward starts at the logits of a final softmax (false for a loss that does not say: loss_check names that).
template <class L>
constexpr bool takes_gradient_at_logits() {
    if constexpr (loss_members<L>::gradient_at_logits) return L::gradient_at_logits;
    else return false;
}

}  // namespace stag
