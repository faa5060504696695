// Finite-difference gradient checks for every layer and for the loss.
#include "gradient_check.hpp"

using namespace stag;
using stag::testing::check_gradients;

TEST_CASE("dense without activation", "[gradient][dense]") {
    check_gradients<sequential<input<1, 1, 7>, dense<5>>>();
}

TEST_CASE("dense with every fused activation", "[gradient][dense][activation]") {
    check_gradients<sequential<input<1, 1, 9>, dense<6, he_normal>, relu>>();
    check_gradients<sequential<input<1, 1, 9>, dense<6>, leaky_relu<std::ratio<1, 10>>>>();
    check_gradients<sequential<input<1, 1, 9>, dense<6>, stag::tanh>>();
    check_gradients<sequential<input<1, 1, 9>, dense<6>, sigmoid>>();
    check_gradients<sequential<input<1, 1, 9>, dense<6>, elu<>>>();
}

TEST_CASE("standalone activations", "[gradient][activation]") {
    // After flatten (a view) an activation is not fused: it runs its own backward.
    check_gradients<sequential<input<2, 2, 3>, flatten, relu>>();
    check_gradients<sequential<input<2, 2, 3>, flatten, leaky_relu<>>>();
    check_gradients<sequential<input<2, 2, 3>, flatten, stag::tanh>>();
    check_gradients<sequential<input<2, 2, 3>, flatten, sigmoid>>();
    check_gradients<sequential<input<2, 2, 3>, flatten, elu<std::ratio<1, 2>>>>();
}

// A small step: with ReLU in the stack, a larger one crosses the kink for some sample.
TEST_CASE("deep stack with awkward widths", "[gradient][dense]") {
    check_gradients<sequential<input<3, 3, 1>, flatten, dense<33, he_normal>, relu, dense<17>, stag::tanh, dense<3>>>(
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

TEST_CASE("softmax cross-entropy gradient matches its loss", "[gradient][loss]") {
    constexpr std::size_t rows = 4, classes = 5;
    rng g(3);
    std::vector<float> logits(rows * classes), probs(rows * classes), grad(rows * classes);
    for (float& z : logits) z = static_cast<float>(g.uniform(-2.0, 2.0));
    const std::vector<std::uint8_t> labels{0, 3, 4, 1};
    const auto mean_loss = [&] {
        kernels::softmax_rows(rows, classes, logits.data(), probs.data());
        return kernels::cross_entropy(rows, classes, probs.data(), labels.data(), nullptr, rows).loss_sum / rows;
    };
    mean_loss();
    kernels::cross_entropy(rows, classes, probs.data(), labels.data(), grad.data(), rows);
    for (std::size_t i = 0; i < logits.size(); ++i) {
        const float saved = logits[i];
        logits[i] = saved + 1e-2f;
        const double up = mean_loss();
        logits[i] = saved - 1e-2f;
        const double down = mean_loss();
        logits[i] = saved;
        CHECK(grad[i] == Approx((up - down) / 2e-2).margin(1e-3));
    }
}

TEST_CASE("cross-entropy clips like Keras", "[loss]") {
    const std::vector<float> probs{1.0f, 0.0f};
    const std::vector<std::uint8_t> label{1};
    const auto s = kernels::cross_entropy(1, 2, probs.data(), label.data(), nullptr, 1);
    CHECK(s.loss_sum == Approx(-std::log(1e-7)).epsilon(1e-4));
    CHECK(s.correct == 0);
}
