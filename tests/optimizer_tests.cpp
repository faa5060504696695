// Optimiser updates against values computed by hand from Keras' / TensorFlow's formulas.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "stag/train/optimizers.hpp"

using namespace stag;

TEST_CASE("Adam's first two steps match hand-computed values", "[optimizer][adam]") {
    // Scalar w = 1, g = 0.5 then g = −0.25, lr 0.1, decay 0.
    std::vector<float> w(19, 1.0f), g(19, 0.5f);  // 19: whole vectors plus a scalar tail
    const std::vector<parameter_ref> params{{"w", w.data(), g.data(), w.size()}};
    adam opt;
    opt.learning_rate = 0.1f;
    opt.setup(params);
    opt.step(params);
    // t=1: m = 0.05, v = 0.00025, step = 0.1·√(1−0.999)/(1−0.9) = 0.0316228
    // w = 1 − 0.0316228·0.05/(√0.00025 + 1e-7) = 1 − 0.0999994 = 0.9000006
    for (float x : w) CHECK(x == Approx(0.9000006).epsilon(1e-6));
    std::fill(g.begin(), g.end(), -0.25f);
    opt.step(params);
    // t=2: m = 0.045 − 0.025 = 0.02, v = 0.00024975 + 0.0000625 = 0.00031225
    // step = 0.1·√(1−0.999²)/(1−0.81) = 0.1·0.0447102/0.19 = 0.0235317
    // w = 0.9000006 − 0.0235317·0.02/(0.0176706 + 1e-7) = 0.9000006 − 0.0266335 = 0.8733671
    for (float x : w) CHECK(x == Approx(0.8733671).epsilon(1e-5));
}

TEST_CASE("Adam's legacy decay shrinks the learning rate per iteration", "[optimizer][adam]") {
    std::vector<float> w(1, 0.0f), g(1, 1.0f);
    const std::vector<parameter_ref> params{{"w", w.data(), g.data(), 1}};
    adam opt;
    opt.learning_rate = 1e-3f;
    opt.decay = 0.5f;
    opt.setup(params);
    CHECK(opt.current_learning_rate() == Approx(1e-3));
    opt.step(params);
    opt.step(params);
    CHECK(opt.current_learning_rate() == Approx(1e-3 / (1 + 0.5 * 2)));
}

TEST_CASE("SGD with momentum follows Keras' update", "[optimizer][sgd]") {
    std::vector<float> w(3, 1.0f), g(3, 2.0f);
    const std::vector<parameter_ref> params{{"w", w.data(), g.data(), 3}};
    sgd opt;
    opt.learning_rate = 0.1f;
    opt.momentum = 0.9f;
    opt.setup(params);
    opt.step(params);  // v = −0.2, w = 0.8
    opt.step(params);  // v = −0.18 − 0.2 = −0.38, w = 0.42
    for (float x : w) CHECK(x == Approx(0.42f));
}
