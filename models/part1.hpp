#pragma once
// HW4 Part 1: the fully connected networks. One alias per topology; batch size and epochs are run
// settings of each variant's binary, not part of the type.
#include "stag/stag.hpp"

namespace stag::models {

using hidden_init = he_normal;
using leaky_relu_01 = leaky_relu<std::ratio<1, 10>>;

// Flatten → Dense 300 → Dense 150 → softmax, with the given hidden activation, on Side×Side grey images.
template <std::size_t Side, class Activation>
struct fully_connected {
    template <std::size_t Classes>
    using net = sequential<input<Side, Side, 1>, flatten,
                           dense<300, hidden_init>, Activation,
                           dense<150, hidden_init>, Activation,
                           dense<Classes>, softmax>;
};

// The homework's model_relu, and the same net on 64×64 inputs (the seed's closing advice).
template <std::size_t Classes>
using model_relu = fully_connected<32, relu>::net<Classes>;
template <std::size_t Classes>
using model_relu_64 = fully_connected<64, relu>::net<Classes>;

// The homework's new_a_model: the same net with LeakyReLU α = 0.1 (or tanh, sigmoid).
template <class Activation>
using with_activation = fully_connected<32, Activation>;

// new_a_model with batch normalisation after each hidden dense layer (after its activation, as in Keras).
template <std::size_t Classes>
using new_a_model_bn = sequential<input<32, 32, 1>, flatten,
                                  dense<300, hidden_init>, leaky_relu_01, batch_norm<>,
                                  dense<150, hidden_init>, leaky_relu_01, batch_norm<>,
                                  dense<Classes>, softmax>;

}  // namespace stag::models
