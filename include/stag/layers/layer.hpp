#pragma once
// The layer protocol. A *spec* is what a user writes in the type list (`dense<300>`); the graph binds
// it to its input shape (`dense<300>::bind<shape{1,1,1024}>`) and gives the bound layer its storage.
//
// A spec provides:   name(), accepts(shape), output_shape(shape) and `template <shape In> struct bind`.
// A bound layer provides:
//   input_shape, output_shape, tensors (its parameter tensors), scratch_floats(batch),
//   workspace_floats(batch), initialize(rng&), forward(ctx, x, y), backward(ctx, x, y, dy, dx)
// and holds `value`, `grad` (one pointer per tensor) and `scratch`, set by the graph.
// Layers that accept a fused element-wise activation take it as a template argument of forward/backward.
// The concepts layer_spec and bound_layer below state this; docs/writing-a-layer.md walks through it.
#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string>

#include "stag/core/aligned_buffer.hpp"
#include "stag/core/random.hpp"
#include "stag/core/replicas.hpp"
#include "stag/core/shape.hpp"

namespace stag {

// train: a training step (batch statistics, dropout, moving averages updated). train_without_update: the same
// passes with batch norm's moving averages left alone (what `evaluate(data, mode::train)` shows).
// inference: moving statistics, no dropout.
enum class mode { train, train_without_update, inference };
constexpr bool uses_batch_statistics(mode m) { return m != mode::inference; }  // and dropout is active
constexpr bool updates_moving_statistics(mode m) { return m == mode::train; }

// What one forward/backward call knows about the step it belongs to.
struct step_context {
    mode phase = mode::train;
    std::size_t batch = 0;
    std::uint64_t seed = 0;   // run seed
    std::uint64_t step = 0;   // optimiser step: keys dropout masks
    std::size_t layer = 0;    // index in the type list: keys dropout masks
    float* workspace = nullptr;
    // Data parallelism (core/replicas.hpp): this replica holds rows [sample_offset, sample_offset + batch) of a
    // batch of global_batch samples; batch norm pools its statistics across the replicas, dropout keys its
    // masks by the global row, and one replica adds the regularisers' gradients (the sum counts them once).
    replica_group* replicas = nullptr;
    std::size_t sample_offset = 0;
    std::size_t global_batch = 0;  // 0: batch (one replica)
    bool adds_penalty_gradient = true;
    std::size_t samples_in_step() const { return global_batch ? global_batch : batch; }
};

// One parameter tensor of a layer; dims is its shape in Keras' layout (dense kernel: fan_in × units; conv
// kernel: kh × kw × channels × filters), left empty (all zero) for a vector of `size`.
struct tensor_desc {
    const char* name;
    std::size_t size;
    bool trainable;
    std::array<std::size_t, 4> dims{};
    constexpr bool shape_matches_size() const {
        std::size_t product = 1, rank = 0;
        for (std::size_t d : dims)
            if (d) product *= d, ++rank;
        return rank == 0 || product == size;
    }
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

// A layer's scratch as named parts, sized and located by one definition: a layer lists its parts' sizes
// in the order of an enum naming them, and asks the plan for both its scratch_floats and each part's place.
template <std::size_t Parts>
struct scratch_plan {
    std::array<std::size_t, Parts> floats;  // of each part; every part starts 64-byte aligned
    constexpr std::size_t offset(std::size_t part) const {
        std::size_t at = 0;
        for (std::size_t i = 0; i < part; ++i) at += round_up(floats[i], alignment_floats);
        return at;
    }
    constexpr std::size_t total() const { return offset(Parts); }
    float* part(float* scratch, std::size_t which) const { return scratch + offset(which); }
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
// many filters, and how it regularises (summaries, HW4's questions), and so a file format can write the
// layer out and check a file against it (interop/). Specs without `facts` are custom.
enum class layer_kind { input, flatten, dense, conv2d, max_pool, average_pool, activation, dropout, batch_norm, softmax, custom };
// The axis batch norm normalises: channels (Keras' axis=-1), or image rows / columns of NHWC maps (axis 1 / 2).
enum class norm_axis { channels, rows, columns };
// Keras' padding: "same" pads so that output = ⌈input / stride⌉ (the extra row or column at the end, as
// TensorFlow), "valid" does not pad.
enum class padding { same, valid };
// The element-wise function of an activation entry (custom: a user's own, which no file format knows).
enum class function_kind { none, relu, leaky_relu, elu, sigmoid, tanh, custom };

struct layer_facts {
    layer_kind kind = layer_kind::custom;
    std::size_t units = 0;                   // dense units, conv filters
    std::size_t window_h = 0, window_w = 0;  // conv kernel or pooling window
    std::size_t stride_h = 0, stride_w = 0;  // conv, pooling
    padding pads = padding::valid;           // conv
    double l2 = 0.0;                         // L2 λ on the kernel (0: none)
    double rate = 0.0;                       // dropout rate
    double momentum = 0.0;                   // batch norm
    norm_axis axis = norm_axis::channels;    // batch norm
    // The float the kernels compute with (so a file can be checked against it exactly).
    float epsilon = 0.0f;                    // batch norm
    function_kind function = function_kind::none;  // activation
    float alpha = 0.0f;                      // leaky_relu, elu
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

// The protocol, member by member: the concepts below are these facts, and the *_check structs turn each
// missing member into one line of compiler output where the graph takes the type.
template <class S>
struct spec_members {
    static constexpr bool name = requires { { S::name() } -> std::convertible_to<std::string>; };
    static constexpr bool accepts = requires { { S::accepts(shape{}) } -> std::convertible_to<bool>; };
    static constexpr bool output_shape = requires { { S::output_shape(shape{}) } -> std::same_as<shape>; };
    static constexpr bool bind = requires { typename S::template bind<shape{1, 1, 1}>; };
    static constexpr bool all = name && accepts && output_shape && bind;
};
template <class S>
concept layer_spec = spec_members<S>::all;
template <class S>
struct layer_spec_check {
    using has = spec_members<S>;
    static_assert(has::name, "stag layer spec needs `static std::string name()`");
    static_assert(has::accepts, "stag layer spec needs `static constexpr bool accepts(shape in)`");
    static_assert(has::output_shape, "stag layer spec needs `static constexpr shape output_shape(shape in)`");
    static_assert(has::bind, "stag layer spec needs `template <shape In> struct bind` (the layer bound to its input shape)");
};

// What the graph asks of every bound layer, and of those that run passes of their own.
template <class L>
struct bound_members {
    static constexpr bool input_shape = requires { { L::input_shape } -> std::convertible_to<shape>; };
    static constexpr bool output_shape = requires { { L::output_shape } -> std::convertible_to<shape>; };
    static constexpr bool tensors = requires { { L::tensors.size() } -> std::convertible_to<std::size_t>; };
    static constexpr bool storage = requires(L& l) {
        l.value;
        l.grad;
        { l.scratch } -> std::convertible_to<float*>;
    };
    static constexpr bool scratch_floats = requires(std::size_t batch) { { L::scratch_floats(batch) } -> std::convertible_to<std::size_t>; };
    static constexpr bool workspace_floats = requires(std::size_t batch) { { L::workspace_floats(batch) } -> std::convertible_to<std::size_t>; };
    static constexpr bool initialize = requires(L& l, rng& g) { l.initialize(g); };
    static constexpr bool forward = requires(const L& l, const step_context& ctx, const float* x, float* y) { l.forward(ctx, x, y); };
    static constexpr bool backward = requires(const L& l, const step_context& ctx, const float* x, float* dy) {
        l.backward(ctx, x, x, dy, dy);
    };
    static constexpr bool all = input_shape && output_shape && tensors && storage && scratch_floats && workspace_floats && initialize;
};
template <class L>
concept bound_layer = bound_members<L>::all;
template <class L, bool Computes>
struct bound_layer_check {
    using has = bound_members<L>;
    static_assert(has::input_shape, "stag bound layer needs `static constexpr shape input_shape`");
    static_assert(has::output_shape, "stag bound layer needs `static constexpr shape output_shape`");
    static_assert(has::tensors, "stag bound layer needs `static constexpr std::array<tensor_desc, K> tensors`");
    static_assert(has::storage, "stag bound layer needs `value`, `grad` and `scratch`, filled by the graph: derive from layer_storage<K>");
    static_assert(has::scratch_floats, "stag bound layer needs `static std::size_t scratch_floats(std::size_t batch)` (layer_storage: 0)");
    static_assert(has::workspace_floats, "stag bound layer needs `static std::size_t workspace_floats(std::size_t batch)` (layer_storage: 0)");
    static_assert(has::initialize, "stag bound layer needs `void initialize(rng&)`");
    static_assert(!Computes || has::forward, "stag bound layer needs `void forward(const step_context&, const float* x, float* y) const`");
    static_assert(!Computes || has::backward,
                  "stag bound layer needs `void backward(const step_context&, const float* x, const float* y, float* dy, float* dx) const`");
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
