// What the compiler knows about each HW4 network: shapes, parameter counts (against Keras' formulas)
// and which entries are fused. All of it is static_assert; the test cases only make them a CTest entry.
#include <catch2/catch.hpp>

#include "../models/part1.hpp"

using namespace stag;
using namespace stag::models;

namespace {
// Keras: Dense(units) on n inputs has n·units + units parameters; BatchNormalization 4 per feature
// (γ, β trainable; moving mean and variance not).
constexpr std::size_t dense_params(std::size_t in, std::size_t units) { return in * units + units; }
constexpr std::size_t part1_params(std::size_t classes) {
    return dense_params(1024, 300) + dense_params(300, 150) + dense_params(150, classes);
}
}  // namespace

static_assert(model_relu<4>::parameter_count == 353'254);  // the figure for the X-ray classes
static_assert(model_relu<4>::parameter_count == part1_params(4));
static_assert(model_relu<10>::parameter_count == part1_params(10));
static_assert(model_relu<10>::trainable_count == model_relu<10>::parameter_count);
static_assert(with_activation<leaky_relu_01>::net<10>::parameter_count == part1_params(10));
static_assert(with_activation<stag::tanh>::net<4>::parameter_count == part1_params(4));
static_assert(new_a_model_bn<10>::parameter_count == part1_params(10) + 4 * (300 + 150));
static_assert(new_a_model_bn<10>::trainable_count == part1_params(10) + 2 * (300 + 150));
static_assert(new_a_model_bn<10>::non_trainable_count == 2 * (300 + 150));

static_assert(model_relu<10>::input_shape == shape{32, 32, 1});
static_assert(model_relu<10>::outputs[1] == shape{1, 1, 1024});
static_assert(model_relu<10>::output_shape == shape{1, 1, 10});
static_assert(model_relu<10>::layer_parameter_counts[2] == dense_params(1024, 300));

// Fusion plan: flatten is a view, each activation folds into its dense, the softmax into the loss.
static_assert(model_relu<10>::roles[1] == layer_role::view);
static_assert(model_relu<10>::roles[3] == layer_role::fused_activation);
static_assert(model_relu<10>::roles[7] == layer_role::output_softmax);
static_assert(new_a_model_bn<10>::roles[4] == layer_role::compute);  // batch norm runs on its own
// Fused entries share their predecessor's buffer; no gradient is needed for the input.
static_assert(model_relu<10>::activation_slot[2] == model_relu<10>::activation_slot[3]);
static_assert(!model_relu<10>::needs_input_gradient[2] && model_relu<10>::needs_input_gradient[4]);

TEST_CASE("Part 1 networks: shapes, parameter counts and fusion are checked at compile time", "[compile-time]") {
    CHECK(model_relu<4>::parameter_count == 353254);
    CHECK(summary<model_relu<4>>("model_relu").find("Total params: 353,254") != std::string::npos);
    CHECK(summary<new_a_model_bn<10>>("bn").find("Non-trainable params: 900") != std::string::npos);
}

TEST_CASE("signatures name every layer and shape", "[compile-time]") {
    CHECK(model_relu<10>::signature() ==
          "input(None, 32, 32, 1) flatten(None, 1024) dense<300, he_normal>(None, 300) relu(None, 300) "
          "dense<150, he_normal>(None, 150) relu(None, 150) dense<10>(None, 10) softmax(None, 10)");
    CHECK(model_relu<10>::signature() != model_relu<4>::signature());
}
