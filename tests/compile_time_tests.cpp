// What the compiler knows about each HW4 network: shapes, parameter counts (against Keras' formulas)
// and which entries are fused. All of it is static_assert; the test cases only make them a CTest entry.
#include <catch2/catch.hpp>

#include <cmath>  // declares ::tanh: every layer name must stay unambiguous under `using namespace stag`

#include "../models/part1.hpp"
#include "../models/part2.hpp"
#include "stag/graph/introspection.hpp"

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
static_assert(with_activation<tanh_activation>::net<4>::parameter_count == part1_params(4));
static_assert(new_a_model_bn<10>::parameter_count == part1_params(10) + 4 * (300 + 150));
static_assert(new_a_model_bn<10>::trainable_count == part1_params(10) + 2 * (300 + 150));
static_assert(new_a_model_bn<10>::non_trainable_count == 2 * (300 + 150));

// Keras: Conv2D(f, (kh, kw)) on c channels has kh·kw·c·f + f parameters. Totals as Keras' summary()
// prints them for the homework's get_net([64,128,128,256,256]) and the halved net, 10 classes.
constexpr std::size_t conv_params(std::size_t c, std::size_t f) { return 9 * c * f + f; }
constexpr std::size_t cnn_params(std::size_t f1, std::size_t f2, std::size_t f3, std::size_t f4, std::size_t f5) {
    return conv_params(1, f1) + conv_params(f1, f2) + conv_params(f2, f3) + conv_params(f3, f4) + conv_params(f4, f5) +
           4 * (f1 + f2 + f3 + f4 + f5) + dense_params(4 * 4 * f5, 512) + dense_params(512, 128) + dense_params(128, 10);
}
static_assert(cnn<10>::parameter_count == 3'275'274);
static_assert(cnn<10>::parameter_count == cnn_params(64, 128, 128, 256, 256));
static_assert(cnn<10>::non_trainable_count == 2 * (64 + 128 + 128 + 256 + 256));
static_assert(cnn_half<10>::parameter_count == 1'394'890);
static_assert(cnn_half<10>::parameter_count == cnn_params(32, 64, 64, 128, 128));
static_assert(cnn<10>::outputs[5] == shape{16, 16, 64});   // after the first max-pool
static_assert(cnn<10>::outputs[24] == shape{1, 1, 4096});  // flatten of 4×4×256
static_assert(cnn<4>::output_shape == shape{1, 1, 4});
// ReLU folds into each conv; the dropout / batch-norm layers behind it run on their own.
static_assert(cnn<10>::roles[2] == layer_role::fused_activation && cnn<10>::roles[3] == layer_role::compute);
// Only layers with an active regulariser contribute a penalty term to the loss.
static_assert(penalized_layer<conv<8, kernel<3, 3>, conv_l2>::bind<shape{4, 4, 1}>>);
static_assert(!penalized_layer<conv2d<8, 3, 3>::bind<shape{4, 4, 1}>>);
// Shapes: same padding keeps the map, valid shrinks it, stride 2 rounds up (TensorFlow), pooling floors.
static_assert(sequential<input<7, 9, 3>, conv2d<4, 3, 3, padding::same, 2>>::output_shape == shape{4, 5, 4});
static_assert(sequential<input<7, 9, 3>, conv2d<4, 3, 5, padding::valid>>::output_shape == shape{5, 5, 4});
static_assert(sequential<input<7, 9, 3>, max_pool<2>>::output_shape == shape{3, 4, 3});
static_assert(sequential<input<7, 9, 3>, max_pool<3, 3, 2, 2>>::output_shape == shape{3, 4, 3});

// Composable model files: blocks and repeat splice in place, named options resolve to the positional layer,
// so the homework's get_net (five blocks) is the very type of its flat 29-entry list — the same layers, weights
// file and training run, bit for bit.
template <std::size_t F>
using flat_conv = conv2d<F, 3, 3, padding::same, 1, glorot_uniform, conv_l2>;
static_assert(std::is_same_v<cnn_half<10>, network<input<32, 32, 1>,
                                                    flat_conv<32>, relu, dropout<rate_03>, batch_norm<>, max_pool<2>,
                                                    flat_conv<64>, relu, dropout<rate_03>, batch_norm<>,
                                                    flat_conv<64>, relu, dropout<rate_03>, batch_norm<>, max_pool<2>,
                                                    flat_conv<128>, relu, dropout<rate_03>, batch_norm<>,
                                                    flat_conv<128>, relu, dropout<rate_03>, batch_norm<>, max_pool<2>,
                                                    flatten, dense<512>, elu<>, dropout<rate_03>, dense<128>, elu<>, dense<10>, softmax>>);
static_assert(std::is_same_v<sequential<input<4, 4, 1>, block<flatten, repeat<2, dense<3>, relu>>, repeat<0, relu>, softmax>,
                             network<input<4, 4, 1>, flatten, dense<3>, relu, dense<3>, relu, softmax>>);
static_assert(std::is_same_v<conv<8, strides<2>, l2<std::ratio<1, 10>>, kernel<3, 5>, he_normal>,
                             conv2d<8, 3, 5, padding::valid, 2, he_normal, l2<std::ratio<1, 10>>>>);  // Keras' defaults: valid padding

// HW4's Part 2 questions, answered from the type (graph/introspection.hpp): how many layers of each kind,
// how many filters, how many parameters against fully connected nets, and how it regularises.
static_assert(cnn<10>::count_of(layer_kind::conv2d) == 5);
static_assert(filters_of<cnn<10>>() == std::array<std::size_t, 5>{64, 128, 128, 256, 256});
static_assert(filters_of<cnn_half<10>>() == std::array<std::size_t, 5>{32, 64, 64, 128, 128});
static_assert(cnn<10>::count_of(layer_kind::dense) == 3 && cnn<10>::count_of(layer_kind::max_pool) == 3);
static_assert(cnn<10>::count_of(layer_kind::dropout) == 6 && cnn<10>::count_of(layer_kind::batch_norm) == 5);
static_assert(weight_layer_count<cnn<10>>() == 8);  // 5 conv + 3 dense: the layers that learn a transformation
static_assert(l2_lambdas_of<cnn<10>>() == std::array<double, 5>{0.01, 0.01, 0.01, 0.01, 0.01});
static_assert(dropout_rates_of<cnn<10>>() == std::array<double, 6>{0.3, 0.3, 0.3, 0.3, 0.3, 0.3});
static_assert(cnn<10>::parameter_count == 3'275'274 && cnn<10>::multiply_adds == 116'000'000);
static_assert(fc_filter_widths<10>::parameter_count == 387'786);  // same depth, a unit per filter
static_assert(fc_block_outputs<10>::parameter_count == 1'025'652'618);  // same depth, the blocks' activation sizes
static_assert(cnn_half_no_l2<10>::count_of(layer_kind::conv2d) == 5 && l2_lambdas_of<cnn_half_no_l2<10>>()[0] == 0.0);
static_assert(cnn_half_bn_rows<10>::layer_parameter_counts[4] == 4 * 32);  // γ, β, mean, variance per image row
static_assert(cnn_half_bn_first<10>::facts[3].kind == layer_kind::batch_norm && cnn_half<10>::facts[3].kind == layer_kind::dropout);
static_assert(cnn_half_64<10>::input_shape == shape{64, 64, 1} && cnn_half_64<10>::outputs[24] == shape{1, 1, 8192});
static_assert(model_relu_64<10>::parameter_count == 4096 * 300 + 300 + part1_params(10) - 1024 * 300 - 300);

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

TEST_CASE("Part 2 networks: the summary prints Keras' parameter counts", "[compile-time][conv]") {
    const std::string s = summary<cnn<10>>("cnn");
    CHECK(s.find("Total params: 3,275,274") != std::string::npos);
    CHECK(s.find("Trainable params: 3,273,610") != std::string::npos);
    CHECK(s.find("Non-trainable params: 1,664") != std::string::npos);
    CHECK(summary<cnn_half<10>>("cnn_half").find("Total params: 1,394,890") != std::string::npos);
}
