#pragma once
// HW4 Part 1: the fully connected networks. One alias per topology; batch size and epochs are run
// settings of each variant's binary, not part of the type.
#include "stag/stag.hpp"

namespace stag::models {

using hidden_init = he_normal;

// Flatten → Dense 300 ReLU → Dense 150 ReLU → softmax.
template <std::size_t Classes>
using model_relu = sequential<input<32, 32, 1>, flatten,
                              dense<300, hidden_init>, relu,
                              dense<150, hidden_init>, relu,
                              dense<Classes>, softmax>;

// The homework's new_a_model: the same net with LeakyReLU α = 0.1 (or tanh, sigmoid).
template <class Activation>
struct with_activation {
    template <std::size_t Classes>
    using net = sequential<input<32, 32, 1>, flatten,
                           dense<300, hidden_init>, Activation,
                           dense<150, hidden_init>, Activation,
                           dense<Classes>, softmax>;
};
using leaky_relu_01 = leaky_relu<std::ratio<1, 10>>;

// new_a_model with batch normalisation after each hidden dense layer (after its activation, as in Keras).
template <std::size_t Classes>
using new_a_model_bn = sequential<input<32, 32, 1>, flatten,
                                  dense<300, hidden_init>, leaky_relu_01, batch_norm<>,
                                  dense<150, hidden_init>, leaky_relu_01, batch_norm<>,
                                  dense<Classes>, softmax>;

}  // namespace stag::models
