#pragma once
// HW4 Part 2: the convolutional network, built from its list of filters as the homework's get_net, and
// the variations that separate the causes of the homework's chance-level CNN (each one type).
#include "stag/stag.hpp"

namespace stag::models {

using conv_l2 = l2<std::ratio<1, 100>>;
using rate_03 = std::ratio<3, 10>;

// What the failure study varies: the conv kernels' regulariser, the batch norm (axis, momentum), whether
// batch norm comes before dropout, and the input size. get_net below is the homework's choice of each.
template <class Regularizer, class Norm, bool NormBeforeDropout, std::size_t Side = 32>
struct cnn_design {
    using first = std::conditional_t<NormBeforeDropout, Norm, dropout<rate_03>>;
    using second = std::conditional_t<NormBeforeDropout, dropout<rate_03>, Norm>;
    // A conv 3×3 same + ReLU block with dropout 0.3 and batch norm; the pooled one ends in a 2×2 max-pool.
    template <std::size_t Filters>
    using conv_block = block<conv<Filters, kernel<3, 3>, same_padding, Regularizer>, relu, first, second>;
    template <std::size_t Filters>
    using pooled_block = block<conv_block<Filters>, max_pool<2>>;

    // Five conv blocks, pooling after the 1st, 3rd and 5th; Dense 512 ELU → Dropout → Dense 128 ELU → softmax.
    template <std::size_t F1, std::size_t F2, std::size_t F3, std::size_t F4, std::size_t F5>
    struct filters {
        template <std::size_t Classes>
        using net = sequential<input<Side, Side, 1>,
                               pooled_block<F1>, conv_block<F2>, pooled_block<F3>, conv_block<F4>, pooled_block<F5>,
                               flatten, dense<512>, elu<>, dropout<rate_03>, dense<128>, elu<>, dense<Classes>, softmax>;
    };
};

// As the homework (with batch norm over channels, Keras' default axis): L2 1e-2 on every kernel,
// dropout then batch norm.
using homework_design = cnn_design<conv_l2, batch_norm<>, false>;
template <std::size_t F1, std::size_t F2, std::size_t F3, std::size_t F4, std::size_t F5>
using get_net = homework_design::filters<F1, F2, F3, F4, F5>;

template <std::size_t Classes>
using cnn = get_net<64, 128, 128, 256, 256>::net<Classes>;
template <std::size_t Classes>
using cnn_half = get_net<32, 64, 64, 128, 128>::net<Classes>;

// The failure study: cnn_half with one thing changed.
template <class Design>
using halved = typename Design::template filters<32, 64, 64, 128, 128>;
template <std::size_t Classes>
using cnn_half_no_l2 = halved<cnn_design<no_regularizer, batch_norm<>, false>>::net<Classes>;
template <std::size_t Classes>
using cnn_half_bn_first = halved<cnn_design<conv_l2, batch_norm<>, true>>::net<Classes>;
template <std::size_t Classes>
using cnn_half_bn_m09 = halved<cnn_design<conv_l2, batch_norm<norm_axis::channels, std::ratio<9, 10>>, false>>::net<Classes>;
// The homework's own layer: BatchNormalization(axis=1) on channels-last maps normalises image rows.
template <std::size_t Classes>
using cnn_half_bn_rows = halved<cnn_design<conv_l2, batch_norm<norm_axis::rows>, false>>::net<Classes>;
// The seed's closing advice, "use a larger input": the same net on 64×64 images.
template <std::size_t Classes>
using cnn_half_64 = halved<cnn_design<conv_l2, batch_norm<>, false, 64>>::net<Classes>;

// Fully connected nets to compare parameter counts with (compile-time only; never instantiated to run):
// the CNN's depth with as many units per layer as it has filters, and with as many units as each conv
// block hands on (the same activation sizes).
template <std::size_t Classes>
using fc_filter_widths = sequential<input<32, 32, 1>, flatten,
                                    dense<64>, relu, dense<128>, relu, dense<128>, relu, dense<256>, relu, dense<256>, relu,
                                    dense<512>, elu<>, dense<128>, elu<>, dense<Classes>, softmax>;
template <std::size_t Classes>
using fc_block_outputs = sequential<input<32, 32, 1>, flatten,
                                    dense<16 * 16 * 64>, relu, dense<16 * 16 * 128>, relu, dense<8 * 8 * 128>, relu,
                                    dense<8 * 8 * 256>, relu, dense<4 * 4 * 256>, relu,
                                    dense<512>, elu<>, dense<128>, elu<>, dense<Classes>, softmax>;

}  // namespace stag::models
