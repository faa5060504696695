#pragma once
// HW4 Part 2: the convolutional network, built from its list of filters as the homework's get_net.
#include "stag/stag.hpp"

namespace stag::models {

using conv_l2 = l2<std::ratio<1, 100>>;
using rate_03 = std::ratio<3, 10>;

// Conv 3×3 same + ReLU with L2 1e-2 on the kernel, then dropout 0.3 and batch norm.
template <std::size_t Filters>
using conv_block = conv2d<Filters, 3, 3, padding::same, 1, glorot_uniform, conv_l2>;

// Five blocks with max-pooling after the 1st, 3rd and 5th; Dense 512 ELU → Dropout → Dense 128 ELU → softmax.
template <std::size_t F1, std::size_t F2, std::size_t F3, std::size_t F4, std::size_t F5>
struct get_net {
    template <std::size_t Classes>
    using net = sequential<input<32, 32, 1>,
                           conv_block<F1>, relu, dropout<rate_03>, batch_norm<>, max_pool<2>,
                           conv_block<F2>, relu, dropout<rate_03>, batch_norm<>,
                           conv_block<F3>, relu, dropout<rate_03>, batch_norm<>, max_pool<2>,
                           conv_block<F4>, relu, dropout<rate_03>, batch_norm<>,
                           conv_block<F5>, relu, dropout<rate_03>, batch_norm<>, max_pool<2>,
                           flatten,
                           dense<512>, elu<>, dropout<rate_03>,
                           dense<128>, elu<>,
                           dense<Classes>, softmax>;
};

template <std::size_t Classes>
using cnn = get_net<64, 128, 128, 256, 256>::net<Classes>;
template <std::size_t Classes>
using cnn_half = get_net<32, 64, 64, 128, 128>::net<Classes>;

}  // namespace stag::models
