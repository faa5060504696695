// xtensor at the API: fit, predict and evaluate on (N, H, W, C) expressions, weights as views.
#include <catch2/catch.hpp>

#include <xtensor/xrandom.hpp>
#include <xtensor/xview.hpp>

#include "stag/graph/tensors.hpp"
#include "stag/stag.hpp"

using namespace stag;

namespace {
using small_net = sequential<input<4, 4, 2>, flatten, dense<5, he_normal>, relu, dense<3>, softmax>;

xt::xtensor<float, 4> images(std::size_t n) {
    xt::random::seed(5);
    return xt::random::rand<float>({n, std::size_t{4}, std::size_t{4}, std::size_t{2}}, -1.0f, 1.0f);
}
}  // namespace

TEST_CASE("predict takes an (N, H, W, C) expression and returns (N, classes)", "[api][xtensor]") {
    model<small_net> m(4, adam{}, 1);
    const xt::xtensor<float, 4> x = images(10);  // more than one planned batch
    const xt::xtensor<float, 2> p = predict(m, x);
    REQUIRE(p.shape(0) == 10);
    REQUIRE(p.shape(1) == 3);
    std::vector<float> want(30);
    m.predict(x.data(), 10, want.data());
    CHECK(std::vector<float>(p.begin(), p.end()) == want);
    CHECK(xt::allclose(xt::sum(p, {1}), xt::ones<float>({10})));
    // An expression (a view and an arithmetic on it) is evaluated once and gives the same rows.
    const xt::xtensor<float, 2> first_rows = predict(m, xt::view(x, xt::range(0, 3)) * 1.0);
    CHECK(first_rows == xt::view(p, xt::range(0, 3)));
    CHECK_THROWS_WITH(predict(m, xt::xtensor<float, 4>::from_shape({2, 4, 4, 3})),
                      "predict: images of shape (2, 4, 4, 3), the network takes (N, 4, 4, 2)");
}

TEST_CASE("evaluate takes images and labels as tensors", "[api][xtensor]") {
    model<small_net> m(4, adam{}, 1);
    const xt::xtensor<float, 4> x = images(9);
    const xt::xtensor<std::uint8_t, 1> labels = {0, 1, 2, 0, 1, 2, 0, 1, 2};
    const metrics via_tensors = evaluate(m, x, labels);
    const metrics via_view = m.evaluate({x.data(), labels.data(), 9, small_net::input_shape, 3});
    CHECK(via_tensors.loss == via_view.loss);
    CHECK(via_tensors.accuracy == via_view.accuracy);
    CHECK_THROWS_WITH(evaluate(m, x, xt::xtensor<std::uint8_t, 1>{0, 1}), "evaluate: 9 images but 2 labels");
}

TEST_CASE("fit on tensors trains as fit on a dataset view", "[api][xtensor]") {
    const xt::xtensor<float, 4> x = images(40);
    xt::xtensor<std::uint8_t, 1> labels = xt::empty<std::uint8_t>({std::size_t{40}});
    for (std::size_t i = 0; i < 40; ++i) labels(i) = static_cast<std::uint8_t>(x(i, 0, 0, 0) > 0.0f ? 1 : 0);  // learnable
    fit_options options;
    options.epochs = 30;
    options.batch_size = 8;
    adam fast;
    fast.learning_rate = 1e-2f;
    model<small_net> a(8, fast, 1), b(8, fast, 1);
    const history via_tensors = fit(a, x, labels, options);
    const history via_view = b.fit({x.data(), labels.data(), 40, small_net::input_shape, 3}, nullptr, options);
    REQUIRE(via_tensors.epochs.size() == 30);
    CHECK(via_tensors.epochs.back().train.loss == via_view.epochs.back().train.loss);
    CHECK(via_tensors.epochs.back().train.loss < via_tensors.epochs.front().train.loss);
    CHECK(evaluate(a, x, labels).accuracy > 0.9);
    CHECK_THROWS_WITH(fit(a, x, xt::xtensor<std::uint8_t, 1>{0, 1}, options), "fit: 40 images but 2 labels");
}

TEST_CASE("weights are views: reading and writing them is the model's memory", "[api][xtensor]") {
    model<small_net> m(4, adam{}, 1);
    std::vector<tensor_view> views = tensor_views(m);
    REQUIRE(views.size() == 4);
    CHECK(views[0].name == m.network().all_tensors()[0].name);
    CHECK(views[0].values.size() == 32 * 5);
    CHECK(views[0].values.shape() == std::vector<std::size_t>{32, 5});  // Keras' shape: fan_in × units
    CHECK(views[1].values.shape() == std::vector<std::size_t>{5});
    views[0].values(31, 4) = 0.25f;  // the last weight, addressed by (input, unit)
    CHECK(m.network().all_tensors()[0].value[32 * 5 - 1] == 0.25f);
    model<sequential<input<6, 6, 2>, conv<4, kernel<3, 3>>, flatten, dense<3>, softmax>> c(2, adam{}, 1);
    CHECK(tensor_views(c)[0].values.shape() == std::vector<std::size_t>{3, 3, 2, 4});  // HWIO, as Keras' Conv2D kernel
    CHECK(views[0].values.data() == m.network().all_tensors()[0].value);  // no copy
    const xt::xtensor<float, 4> x = images(2);
    for (tensor_view& v : views) v.values.fill(0.0f);  // all weights zero: every class equally likely
    CHECK(xt::allclose(predict(m, x), xt::xtensor<float, 2>::from_shape({2, 3}) * 0.0f + 1.0f / 3.0f));
}
