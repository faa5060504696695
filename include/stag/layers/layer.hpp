#pragma once
// The layer protocol. A *spec* is what a user writes in the type list (`dense<300>`); the graph binds
// it to its input shape (`dense<300>::bind<shape{1,1,1024}>`) and gives the bound layer its storage.
//
// A spec provides:   name(), output_shape(shape) and `template <shape In> struct bind`.
// A bound layer provides:
//   input_shape, output_shape, tensors (its parameter tensors), scratch_floats(batch),
//   workspace_floats(batch), initialize(rng&), forward(ctx, x, y), backward(ctx, x, y, dy, dx)
// and holds `value`, `grad` (one pointer per tensor) and `scratch`, set by the graph.
// Layers that accept a fused element-wise activation take it as a template argument of forward/backward.
#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string>

#include "stag/core/random.hpp"
#include "stag/core/shape.hpp"

namespace stag {

enum class mode { train, inference };

// What one forward/backward call knows about the step it belongs to.
struct step_context {
    mode phase = mode::train;
    std::size_t batch = 0;
    std::uint64_t seed = 0;   // run seed
    std::uint64_t step = 0;   // optimiser step: keys dropout masks
    std::size_t layer = 0;    // index in the type list: keys dropout masks
    float* workspace = nullptr;
    bool update_statistics = true;  // training steps move batch norm's moving averages; evaluation does not
};

struct tensor_desc {
    const char* name;
    std::size_t size;
    bool trainable;
};

// Storage the graph hands to a bound layer with K tensors.
template <std::size_t K>
struct layer_storage {
    std::array<float*, K> value{};
    std::array<float*, K> grad{};  // null for non-trainable tensors
    float* scratch = nullptr;
    static constexpr std::size_t scratch_floats(std::size_t) { return 0; }
    static constexpr std::size_t workspace_floats(std::size_t) { return 0; }
};

// For specs whose output has their input's shape, whatever it is.
struct shape_preserving {
    static constexpr bool accepts(shape) { return true; }
    static constexpr shape output_shape(shape in) { return in; }
};

// A bound layer without parameters that keeps the shape In.
template <shape In>
struct parameterless : layer_storage<0> {
    static constexpr shape input_shape = In, output_shape = In;
    static constexpr std::array<tensor_desc, 0> tensors{};
    void initialize(rng&) {}
};

// What a spec is, as constants, so code can ask a network's type how many conv layers it has, with how
// many filters, and how it regularises (summaries, HW4's questions). Specs without `facts` are custom.
enum class layer_kind { input, flatten, dense, conv2d, max_pool, activation, dropout, batch_norm, softmax, custom };
// The axis batch norm normalises: channels (Keras' axis=-1), or image rows / columns of NHWC maps (axis 1 / 2).
enum class norm_axis { channels, rows, columns };

struct layer_facts {
    layer_kind kind = layer_kind::custom;
    std::size_t units = 0;                   // dense units, conv filters
    std::size_t window_h = 0, window_w = 0;  // conv kernel or pooling window
    double l2 = 0.0;                         // L2 λ on the kernel (0: none)
    double rate = 0.0;                       // dropout rate
    double momentum = 0.0;                   // batch norm
    norm_axis axis = norm_axis::channels;    // batch norm
};

template <class S>
constexpr layer_facts facts_of() {
    if constexpr (requires { S::facts; }) return S::facts;
    else return {};
}

// Multiply-adds per sample in a bound layer's forward pass (dense and conv; element-wise layers count 0).
template <class L>
constexpr std::size_t multiply_adds_of() {
    if constexpr (requires { L::multiply_adds; }) return L::multiply_adds;
    else return 0;
}

template <class S>
concept layer_spec = requires {
    { S::name() } -> std::convertible_to<std::string>;
    { S::output_shape(shape{}) } -> std::same_as<shape>;
};

// Spec roles the graph treats specially.
template <class S>
concept input_spec = layer_spec<S> && requires { requires S::is_input; };
template <class S>
concept view_spec = layer_spec<S> && requires { requires S::is_view; };  // output aliases input
template <class S>
concept activation_spec = layer_spec<S> && requires { typename S::function; };
template <class S>
concept epilogue_spec = layer_spec<S> && requires { requires S::takes_epilogue; };
// A bound layer whose weights carry a regulariser: penalty() is its term of the loss.
template <class L>
concept penalized_layer = requires(const L& l) {
    { l.penalty() } -> std::convertible_to<double>;
};

template <class S>
concept softmax_spec = layer_spec<S> && requires { requires S::is_softmax; };

}  // namespace stag
