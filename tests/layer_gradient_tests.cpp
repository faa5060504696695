// Finite-difference gradient checks for every layer and for the loss.
#include "layer_check.hpp"

using namespace stag;
using stag::testing::check_gradients;
using stag::testing::check_layer;

TEST_CASE("dense without activation", "[gradient][dense]") {
    check_gradients<sequential<input<1, 1, 7>, dense<5>>>();
}

TEST_CASE("dense with every fused activation", "[gradient][dense][activation]") {
    check_gradients<sequential<input<1, 1, 9>, dense<6, he_normal>, relu>>();
    check_gradients<sequential<input<1, 1, 9>, dense<6>, leaky_relu<std::ratio<1, 10>>>>();
    check_gradients<sequential<input<1, 1, 9>, dense<6>, tanh_activation>>();
    check_gradients<sequential<input<1, 1, 9>, dense<6>, sigmoid>>();
    check_gradients<sequential<input<1, 1, 9>, dense<6>, elu<>>>();
}

TEST_CASE("standalone activations", "[gradient][activation]") {
    // After flatten (a view) an activation is not fused: it runs its own backward.
    check_gradients<sequential<input<2, 2, 3>, flatten, relu>>();
    check_gradients<sequential<input<2, 2, 3>, flatten, leaky_relu<>>>();
    check_gradients<sequential<input<2, 2, 3>, flatten, tanh_activation>>();
    check_gradients<sequential<input<2, 2, 3>, flatten, sigmoid>>();
    check_gradients<sequential<input<2, 2, 3>, flatten, elu<std::ratio<1, 2>>>>();
}

// A small step: with ReLU in the stack, a larger one crosses the kink for some sample.
TEST_CASE("deep stack with awkward widths", "[gradient][dense]") {
    check_gradients<sequential<input<3, 3, 1>, flatten, dense<33, he_normal>, relu, dense<17>, tanh_activation, dense<3>>>(
        {.batch = 5, .step = 2e-4f});
}

TEST_CASE("softmax as a layer", "[gradient][softmax]") {
    check_gradients<sequential<input<1, 1, 6>, dense<4>, softmax>>();
}

TEST_CASE("dropout (training mode, fixed mask)", "[gradient][dropout]") {
    check_gradients<sequential<input<1, 1, 40>, dense<40>, dropout<std::ratio<3, 10>>, dense<5>>>();
}

TEST_CASE("batch norm over features", "[gradient][batch_norm]") {
    check_gradients<sequential<input<1, 1, 8>, dense<6>, batch_norm<>, dense<3>>>({.batch = 7});
    check_gradients<sequential<input<1, 1, 8>, dense<6>, leaky_relu<std::ratio<1, 10>>, batch_norm<>, dense<3>>>({.batch = 7});
}

// The one-call check a new layer passes (tests/layer_check.hpp, docs/writing-a-layer.md).
TEST_CASE("average pooling passes the new-layer check", "[gradient][pool][layer_check]") {
    check_layer<average_pool<2>, shape{5, 7, 19}>();
    check_layer<average_pool<3, 3, 2, 2>, shape{7, 7, 3}>();  // overlapping windows
    check_layer<average_pool<2, 3>, shape{4, 9, 17}>();       // rectangular windows, channels past a vector
}

namespace {
// Each grad[i] against the central difference of mean_loss() with inputs[i] moved by ±step.
template <class MeanLoss>
void check_central_differences(std::vector<float>& inputs, const std::vector<float>& grad, const MeanLoss& mean_loss, float step,
                               double margin) {
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const float saved = inputs[i];
        inputs[i] = saved + step;
        const double up = mean_loss();
        inputs[i] = saved - step;
        const double down = mean_loss();
        inputs[i] = saved;
        CHECK(grad[i] == Approx((up - down) / (2.0 * step)).margin(margin));
    }
}
}  // namespace

TEST_CASE("softmax cross-entropy gradient matches its loss", "[gradient][loss]") {
    constexpr std::size_t rows = 4, classes = 5;
    rng g(3);
    std::vector<float> logits(rows * classes), probs(rows * classes), grad(rows * classes);
    for (float& z : logits) z = static_cast<float>(g.uniform(-2.0, 2.0));
    const std::vector<std::uint8_t> labels{0, 3, 4, 1};
    const auto mean_loss = [&] {
        kernels::softmax_rows(rows, classes, logits.data(), probs.data());
        return kernels::cross_entropy({rows, classes, probs.data(), labels.data()}, nullptr).loss_sum / rows;
    };
    mean_loss();
    kernels::cross_entropy({rows, classes, probs.data(), labels.data()}, grad.data());
    check_central_differences(logits, grad, mean_loss, 1e-2f, 1e-3);
}

// The losses that run the network's whole backward pass: their gradient with respect to the outputs.
TEST_CASE("mean squared error and binary cross-entropy gradients match their losses", "[gradient][loss]") {
    constexpr std::size_t rows = 3, classes = 4;
    rng g(5);
    std::vector<float> outputs(rows * classes), grad(rows * classes);
    for (float& p : outputs) p = static_cast<float>(g.uniform(0.05, 0.95));
    const std::vector<std::uint8_t> labels{2, 0, 3};
    for (const auto loss : {&kernels::mean_squared_error, &kernels::binary_cross_entropy}) {
        const auto mean_loss = [&] { return loss({rows, classes, outputs.data(), labels.data()}, nullptr).loss_sum / rows; };
        loss({rows, classes, outputs.data(), labels.data()}, grad.data());
        check_central_differences(outputs, grad, mean_loss, 1e-3f, 2e-3);
    }
}

TEST_CASE("cross-entropy clips like Keras", "[loss]") {
    const std::vector<float> probs{1.0f, 0.0f};
    const std::vector<std::uint8_t> label{1};
    const auto s = kernels::cross_entropy({1, 2, probs.data(), label.data()}, nullptr);
    CHECK(s.loss_sum == Approx(-std::log(1e-7)).epsilon(1e-4));
    CHECK(s.correct == 0);
}

// Convolutions: narrow (fewer channels than a vector) and direct paths, both paddings, strides,
// channel and filter counts that are not multiples of the vector width, odd map sizes.
TEST_CASE("conv2d, narrow path (1 and 3 channels)", "[gradient][conv]") {
    check_gradients<sequential<input<5, 6, 1>, conv2d<4, 3, 3>>>();
    check_gradients<sequential<input<5, 6, 3>, conv2d<5, 3, 3, padding::valid>>>();
    check_gradients<sequential<input<7, 6, 3>, conv2d<3, 3, 2, padding::same, 2>>>();
}

TEST_CASE("conv2d, direct path", "[gradient][conv]") {
    check_gradients<sequential<input<5, 4, 17>, conv2d<5, 3, 3>>>({.batch = 2});
    check_gradients<sequential<input<6, 5, 16>, conv2d<33, 3, 3, padding::valid>>>({.batch = 2});
    check_gradients<sequential<input<7, 7, 18>, conv2d<4, 3, 3, padding::same, 2>>>({.batch = 2});
    check_gradients<sequential<input<6, 7, 20>, conv2d<6, 1, 1, padding::valid, 2>>>({.batch = 2});
}

TEST_CASE("conv2d with fused ReLU and an L2 penalty", "[gradient][conv][regularizer]") {
    check_gradients<sequential<input<6, 6, 16>, conv2d<8, 3, 3, padding::same, 1, he_normal, l2<std::ratio<1, 100>>>, relu>>(
        {.batch = 2, .step = 5e-4f});
}

// Pooling straight on the (random) input: a weight in front of it would move whole windows and make
// near-ties between maxima flip under the finite difference.
TEST_CASE("max pooling, with a leftover row and column and overlapping windows", "[gradient][pool]") {
    check_gradients<sequential<input<5, 5, 17>, max_pool<2>, flatten, dense<3>>>();
    check_gradients<sequential<input<7, 6, 2>, max_pool<3, 3, 2, 2>, flatten, dense<3>>>();
}

TEST_CASE("batch norm and dropout over conv channels", "[gradient][batch_norm][dropout]") {
    check_gradients<sequential<input<4, 5, 3>, conv2d<17, 3, 3>, batch_norm<>, flatten, dense<3>>>({.batch = 3});
    check_gradients<sequential<input<8, 8, 1>, conv2d<16, 3, 3>, dropout<std::ratio<3, 10>>, batch_norm<>, max_pool<2>, flatten,
                               dense<3>>>({.batch = 2, .step = 1e-4f});
}

// Keras' BatchNormalization(axis=1) / (axis=2) on NHWC maps, as HW4's CNN used it: rows or columns.
TEST_CASE("batch norm over image rows and columns", "[gradient][batch_norm]") {
    check_gradients<sequential<input<5, 6, 3>, conv2d<7, 3, 3>, batch_norm<norm_axis::rows>, flatten, dense<3>>>({.batch = 3});
    check_gradients<sequential<input<5, 6, 3>, conv2d<7, 3, 3>, batch_norm<norm_axis::columns>, flatten, dense<3>>>({.batch = 3});
    // Behind dropout, as HW4 had it (no pooling here: a window's maximum changing hands under the finite
    // difference would test the pool, not the norm).
    check_gradients<sequential<input<8, 8, 1>, conv2d<18, 3, 3>, dropout<std::ratio<3, 10>>, batch_norm<norm_axis::rows>, flatten,
                               dense<3>>>({.batch = 2, .step = 1e-4f});
}

// Two get_net blocks end to end. A small step: a weight moves every pixel of its channel, so with a
// larger one some pooling window's maximum changes hands (and batch norm behind a saturating
// activation + dropout is curved enough that only a tiny step resolves it; dropout → batch norm is
// checked above).
TEST_CASE("a get_net-like block stack end to end", "[gradient][conv]") {
    using block = conv2d<16, 3, 3, padding::same, 1, glorot_uniform, l2<std::ratio<1, 100>>>;
    check_gradients<sequential<input<8, 8, 1>, block, relu, batch_norm<>, max_pool<2>, conv2d<20, 3, 3>, relu, batch_norm<>,
                               max_pool<2>, flatten, dense<8>, elu<>, dense<3>, softmax>>({.batch = 2, .step = 1e-4f, .max_checks = 200});
}
