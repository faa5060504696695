#pragma once
// A network is a flat type list: sequential<input<32,32,1>, flatten, dense<300>, relu, ...> (blocks, from
// graph/blocks.hpp, are spliced in place first: the class below only ever sees layer specs).
//
// Everything about the topology is worked out at compile time, without recursion: each layer's output
// shape, its role in the fused passes (an activation right after dense is folded into that dense's
// kernels; flatten is a view; a final softmax hands its gradient to the loss), parameter counts, and
// which buffers alias. At construction one arena is planned for the largest batch; forward and
// backward then run as one unrolled sequence of calls and allocate nothing.
#include <array>
#include <cmath>
#include <boost/hana/at.hpp>
#include <boost/hana/tuple.hpp>
#include <boost/hana/type.hpp>
#include <cstddef>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "stag/core/aligned_buffer.hpp"
#include "stag/core/error.hpp"
#include "stag/core/parameter.hpp"
#include "stag/graph/blocks.hpp"
#include "stag/kernels/gemm.hpp"
#include "stag/layers/layer.hpp"

namespace stag {

inline constexpr std::size_t no_layer = std::numeric_limits<std::size_t>::max();

// Instantiated only for a network whose layer `LayerIndex` cannot take the shape before it; the
// compiler prints this template's arguments (index, layer, offending input shape) with the message.
template <std::size_t LayerIndex, class Layer, shape InputShape>
struct layer_cannot_take_input_shape {
    static_assert(LayerIndex == no_layer,
                  "stag: a layer cannot take the output shape of the layer before it; the line above names "
                  "'layer_cannot_take_input_shape<layer index, layer, input shape>' (flatten before dense? "
                  "pool larger than the map?)");
};
struct all_shapes_accepted {};

namespace detail {
template <std::size_t K>
constexpr std::size_t tensor_floats(const std::array<tensor_desc, K>& tensors, bool trainable_only) {
    std::size_t n = 0;
    for (const tensor_desc& t : tensors)
        if (t.trainable || !trainable_only) n += t.size;
    return n;
}
template <std::size_t N>
constexpr std::size_t sum(const std::array<std::size_t, N>& a) {
    std::size_t s = 0;
    for (std::size_t v : a) s += v;
    return s;
}
}  // namespace detail

// How the graph runs each entry of the type list.
enum class layer_role {
    input,             // the batch is written here by the caller
    view,              // output aliases input (flatten)
    compute,           // runs its own forward/backward
    fused_activation,  // folded into the compute layer before it
    output_softmax     // last softmax: forward runs, backward is folded into the loss or done in place
};

template <class... Specs>
class network {
    static constexpr std::size_t depth = sizeof...(Specs);
    static_assert(depth >= 2, "sequential<...>: needs an input<> and at least one layer");

public:
    template <std::size_t I>
    using spec_at = typename decltype(+boost::hana::at_c<I>(boost::hana::tuple_t<Specs...>))::type;

    static_assert(input_spec<spec_at<0>>, "sequential<...>: the first entry must be input<H, W, C>");
    static_assert((... + static_cast<std::size_t>(input_spec<Specs>)) == 1, "sequential<...>: input<> may appear only first");

    // outputs[i]: the per-sample output shape of entry i.
    static constexpr std::array<shape, depth> outputs = [] {
        std::array<shape, depth> s{};
        shape current{};
        std::size_t i = 0;
        ((current = Specs::output_shape(current), s[i++] = current), ...);
        return s;
    }();
    static constexpr shape input_shape = outputs.front();
    static constexpr shape output_shape = outputs.back();

private:
    static constexpr std::size_t first_rejecting = [] {
        constexpr std::array<bool, depth> ok = [] {
            std::array<bool, depth> a{};
            std::size_t i = 0;
            ((a[i] = i == 0 || Specs::accepts(outputs[i - 1]), ++i), ...);
            return a;
        }();
        for (std::size_t i = 0; i < depth; ++i)
            if (!ok[i]) return i;
        return no_layer;
    }();
    static constexpr std::size_t reported = first_rejecting == no_layer ? 1 : first_rejecting;
    static constexpr bool shape_check =
        sizeof(std::conditional_t<first_rejecting == no_layer, all_shapes_accepted,
                                  layer_cannot_take_input_shape<reported, spec_at<reported>, outputs[reported - 1]>>) > 0;

public:
    template <std::size_t I>
    using layer_at = typename spec_at<I>::template bind<I == 0 ? shape{} : outputs[I - 1]>;

    static constexpr std::array<layer_role, depth> roles = [] {
        std::array<layer_role, depth> r{};
        constexpr std::array<bool, depth> is_view{view_spec<Specs>...}, is_act{activation_spec<Specs>...},
            takes_epilogue{epilogue_spec<Specs>...}, is_softmax{softmax_spec<Specs>...};
        for (std::size_t i = 0; i < depth; ++i) {
            if (i == 0) r[i] = layer_role::input;
            else if (is_view[i]) r[i] = layer_role::view;
            else if (is_act[i] && takes_epilogue[i - 1]) r[i] = layer_role::fused_activation;
            else if (is_softmax[i] && i + 1 == depth) r[i] = layer_role::output_softmax;
            else r[i] = layer_role::compute;
        }
        return r;
    }();
    // Each bound layer against the protocol (layers/layer.hpp): a missing member is one line naming it.
    static_assert([]<std::size_t... I>(std::index_sequence<I...>) {
        return ((sizeof(bound_layer_check<layer_at<I>, roles[I] != layer_role::input && roles[I] != layer_role::view>) > 0) && ...);
    }(std::make_index_sequence<depth>{}));

    static_assert([]<std::size_t... I>(std::index_sequence<I...>) {
        return ([] {
            for (const tensor_desc& t : layer_at<I>::tensors)
                if (!t.shape_matches_size()) return false;
            return true;
        }() && ...);
    }(std::make_index_sequence<depth>{}), "sequential<...>: a layer declares a tensor whose dims do not multiply to its size");

    // Parameter bookkeeping, all compile-time.
    static constexpr std::array<std::size_t, depth> layer_parameter_counts = [] {
        return [&]<std::size_t... I>(std::index_sequence<I...>) {
            return std::array<std::size_t, depth>{detail::tensor_floats(layer_at<I>::tensors, false)...};
        }(std::make_index_sequence<depth>{});
    }();
    static constexpr std::array<std::size_t, depth> layer_trainable_counts = [] {
        return [&]<std::size_t... I>(std::index_sequence<I...>) {
            return std::array<std::size_t, depth>{detail::tensor_floats(layer_at<I>::tensors, true)...};
        }(std::make_index_sequence<depth>{});
    }();
    // What each entry is (kind, filters, regularisation) and what its forward pass costs per sample.
    static constexpr std::array<layer_facts, depth> facts{facts_of<Specs>()...};
    static constexpr std::array<std::size_t, depth> layer_multiply_adds = [] {
        return [&]<std::size_t... I>(std::index_sequence<I...>) {
            return std::array<std::size_t, depth>{multiply_adds_of<layer_at<I>>()...};
        }(std::make_index_sequence<depth>{});
    }();
    static constexpr std::size_t multiply_adds = detail::sum(layer_multiply_adds);
    static constexpr std::size_t count_of(layer_kind kind) {
        std::size_t n = 0;
        for (const layer_facts& f : facts) n += f.kind == kind;
        return n;
    }

    static constexpr std::size_t parameter_count = detail::sum(layer_parameter_counts);
    static constexpr std::size_t trainable_count = detail::sum(layer_trainable_counts);
    static constexpr std::size_t non_trainable_count = parameter_count - trainable_count;
    static constexpr bool ends_in_softmax = roles.back() == layer_role::output_softmax;

    // Buffer aliasing: activations of fused/view entries live in their predecessor's slot; gradients
    // ping-pong between two slots, staying put where backward works in place.
    static constexpr std::array<std::size_t, depth> activation_slot = [] {
        std::array<std::size_t, depth> s{};
        for (std::size_t i = 1; i < depth; ++i)
            s[i] = (roles[i] == layer_role::view || roles[i] == layer_role::fused_activation) ? s[i - 1] : s[i - 1] + 1;
        return s;
    }();
    static constexpr std::array<std::size_t, depth> gradient_slot = [] {
        std::array<std::size_t, depth> s{};
        for (std::size_t i = depth - 1; i > 0; --i)
            s[i - 1] = roles[i] == layer_role::compute ? 1 - s[i] : s[i];
        return s;
    }();
    // Whether entry i must produce the gradient of its input (some trainable layer lies before it).
    static constexpr std::array<bool, depth> needs_input_gradient = [] {
        std::array<bool, depth> need{};
        bool trainable_before = false;
        for (std::size_t i = 0; i < depth; ++i) {
            need[i] = trainable_before;
            trainable_before = trainable_before || layer_trainable_counts[i] > 0;
        }
        return need;
    }();

    explicit network(std::size_t max_batch) : max_batch_(max_batch) {
        static_assert(shape_check);
        if (max_batch == 0) throw error("sequential: the batch size must be positive");
        plan();
    }
    network(const network&) = delete;
    network& operator=(const network&) = delete;

    std::size_t max_batch() const { return max_batch_; }

    template <std::size_t I>
    layer_at<I>& layer() { return boost::hana::at_c<I>(layers_); }
    template <std::size_t I>
    const layer_at<I>& layer() const { return boost::hana::at_c<I>(layers_); }

    void initialize(std::uint64_t seed) {
        rng g(seed);
        for_each_index([&]<std::size_t I>() { layer<I>().initialize(g); });
    }

    // The caller writes batch×input_shape floats here before forward().
    float* input() { return activation(0); }
    const float* output() const { return activations_.data() + activation_offset_[activation_slot.back()]; }
    // Gradient of the loss with respect to output() (or to the logits, for backward_from_logits).
    float* output_gradient() { return gradient(depth - 1); }

    void forward(step_context ctx) {
        check_batch(ctx.batch);
        ctx.workspace = workspace_.data();
        for_each_index([&]<std::size_t I>() {
            constexpr layer_role r = roles[I];
            if constexpr (r == layer_role::compute || r == layer_role::output_softmax) {
                ctx.layer = I;
                if constexpr (I + 1 < depth && roles[I + 1 < depth ? I + 1 : I] == layer_role::fused_activation)
                    layer<I>().template forward<typename spec_at<I + 1>::function>(ctx, activation(I - 1), activation(I));
                else
                    layer<I>().forward(ctx, activation(I - 1), activation(I));
            }
        });
    }

    struct ignore_ready {
        void operator()(float*) const {}
    };
    // Backward from output_gradient() = ∂loss/∂output. If input_gradient is given, it receives ∂loss/∂input.
    // gradients_ready(p), if given, is called as soon as the gradients from p to the end of gradient_arena()
    // are final (after each layer with trainable tensors, last layer first): data parallelism starts summing
    // them across replicas while backward goes on.
    template <class Ready = ignore_ready>
    void backward(step_context ctx, float* input_gradient = nullptr, Ready&& gradients_ready = {}) {
        run_backward<false>(ctx, input_gradient, gradients_ready);
    }

    // Backward when output_gradient() already holds ∂loss/∂logits (softmax fused into cross-entropy).
    template <class Ready = ignore_ready>
    void backward_from_logits(step_context ctx, Ready&& gradients_ready = {}) {
        static_assert(ends_in_softmax, "backward_from_logits: the network must end in softmax");
        run_backward<true>(ctx, nullptr, gradients_ready);
    }
    // Every trainable tensor's gradient, in layer order, in one block (with padding between tensors, which
    // stays zero).
    float* gradient_arena() { return grads_.data(); }
    std::size_t gradient_arena_floats() const { return gradient_arena_floats_; }

    // Σ of the layers' regularisation penalties: what Keras adds to the reported loss.
    double regularization_penalty() const {
        double sum = 0.0;
        for_each_index([&]<std::size_t I>() {
            if constexpr (penalized_layer<layer_at<I>>) sum += layer<I>().penalty();
        });
        return sum;
    }

    // The first entry whose output, for the last forward pass of `batch` samples, holds a NaN or a value
    // beyond ±bound (entry 0: the input itself), or no_layer. A layer and the activation fused into it
    // share one buffer: the activation is reported.
    std::size_t first_output_beyond(std::size_t batch, float bound) {
        std::size_t found = no_layer;
        for_each_index([&]<std::size_t I>() {
            constexpr bool last_writer_of_slot = I + 1 == depth || activation_slot[I] != activation_slot[I + 1 < depth ? I + 1 : I];
            if constexpr (last_writer_of_slot)
                if (found == no_layer && !all_within(activation(I), batch * outputs[I].size(), bound)) found = I;
        });
        return found;
    }
    // The entry that produced the logits (the input of the final softmax), or of the output otherwise.
    static constexpr std::size_t logits_entry = ends_in_softmax ? depth - 2 : depth - 1;
    const float* logits() { return activation(logits_entry); }
    // The first trainable tensor whose gradient holds a NaN or an infinity after backward, or null.
    const parameter_ref* first_non_finite_gradient() {
        for (const parameter_ref& p : trainable_)
            if (!all_within(p.grad, p.size, std::numeric_limits<float>::max())) return &p;
        return nullptr;
    }
    // Whether every value is a number within ±bound (a NaN fails every comparison).
    static bool all_within(const float* v, std::size_t n, float bound) {
        for (std::size_t i = 0; i < n; ++i)
            if (!(std::abs(v[i]) <= bound)) return false;
        return true;
    }

    const std::vector<parameter_ref>& trainable_parameters() { return trainable_; }
    // All tensors (trainable and state), in layer order: what a weights file holds.
    const std::vector<parameter_ref>& all_tensors() { return all_; }

    static std::vector<std::string> layer_names() { return {Specs::name()...}; }

    // A one-line description of the topology, stored in weight files and checked on load.
    static std::string signature() {
        std::string s;
        std::size_t i = 0;
        ((s += (i ? " " : "") + Specs::name() + to_string(outputs[i]), ++i), ...);
        return s;
    }

private:
    template <class F>
    static void for_each_index(F&& f) {
        [&]<std::size_t... I>(std::index_sequence<I...>) { (f.template operator()<I>(), ...); }(std::make_index_sequence<depth>{});
    }
    template <class F>
    static void for_each_index_reversed(F&& f) {
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (f.template operator()<depth - 1 - I>(), ...);
        }(std::make_index_sequence<depth>{});
    }

    template <bool FromLogits, class Ready>
    void run_backward(step_context ctx, float* input_gradient, Ready& gradients_ready) {
        check_batch(ctx.batch);
        ctx.workspace = workspace_.data();
        for_each_index_reversed([&]<std::size_t I>() {
            constexpr layer_role r = roles[I];
            constexpr bool runs = r == layer_role::compute || (r == layer_role::output_softmax && !FromLogits);
            if constexpr (runs) {
                ctx.layer = I;
                float* dx = needs_input_gradient[I] || input_gradient ? gradient(I - 1) : nullptr;
                constexpr bool fused = I + 1 < depth && roles[I + 1 < depth ? I + 1 : I] == layer_role::fused_activation;
                if constexpr (fused)
                    layer<I>().template backward<typename spec_at<I + 1>::function>(ctx, activation(I - 1), activation(I + 1),
                                                                                    gradient(I), dx);
                else
                    layer<I>().backward(ctx, activation(I - 1), activation(I), gradient(I), dx);
                if constexpr (layer_trainable_counts[I] > 0) gradients_ready(grads_.data() + first_parameter_[I]);
            }
        });
        if (input_gradient) {
            const float* g = gradient(0);
            std::copy(g, g + ctx.batch * input_shape.size(), input_gradient);
        }
    }

    void check_batch(std::size_t batch) const {
        if (batch == 0 || batch > max_batch_)
            throw error("sequential: batch of " + std::to_string(batch) + " outside the planned 1.." + std::to_string(max_batch_));
    }

    float* activation(std::size_t i) { return activations_.data() + activation_offset_[activation_slot[i]]; }
    float* gradient(std::size_t i) { return gradients_.data() + gradient_slot[i] * gradient_slot_floats_; }

    void plan() {
        // Activations: one slot per distinct buffer, sized for the largest batch.
        std::size_t offset = 0;
        for (std::size_t i = 0; i < depth; ++i)
            if (i == 0 || activation_slot[i] != activation_slot[i - 1]) {
                activation_offset_[activation_slot[i]] = offset;
                offset += round_up(max_batch_ * outputs[i].size(), alignment_floats);
            }
        activations_.resize(offset + alignment_floats);
        std::size_t largest = 0;
        for (const shape& s : outputs) largest = std::max(largest, s.size());
        gradient_slot_floats_ = round_up(max_batch_ * largest, alignment_floats);
        gradients_.resize(2 * gradient_slot_floats_ + alignment_floats);

        // Parameters: every tensor padded to whole vectors, and room after the last for the epilogues' over-read
        // (kernels/epilogues.hpp: a bias is read in whole panels of columns).
        std::size_t params = 0, scratch = 0, workspace = 0;
        for_each_index([&]<std::size_t I>() {
            for (const tensor_desc& t : layer_at<I>::tensors) params += round_up(t.size, alignment_floats);
            scratch += round_up(layer_at<I>::scratch_floats(max_batch_), alignment_floats);
            workspace = std::max(workspace, layer_at<I>::workspace_floats(max_batch_));
        });
        values_.resize(params + kernels::epilogue_over_read);
        grads_.resize(params + kernels::epilogue_over_read);
        scratch_.resize(scratch);
        workspace_.resize(workspace);

        std::size_t p = 0, s = 0;
        for_each_index([&]<std::size_t I>() {
            auto& l = layer<I>();
            first_parameter_[I] = p;
            for (std::size_t t = 0; t < layer_at<I>::tensors.size(); ++t) {
                const tensor_desc& d = layer_at<I>::tensors[t];
                l.value[t] = values_.data() + p;
                l.grad[t] = d.trainable ? grads_.data() + p : nullptr;
                const std::string name = std::to_string(I) + ":" + spec_at<I>::name() + "/" + d.name;
                std::vector<std::size_t> dims;
                for (std::size_t extent : d.dims)
                    if (extent) dims.push_back(extent);
                all_.push_back({name, l.value[t], l.grad[t], d.size, dims});
                if (d.trainable) trainable_.push_back(all_.back());
                p += round_up(d.size, alignment_floats);
            }
            l.scratch = scratch_.data() + s;
            s += round_up(layer_at<I>::scratch_floats(max_batch_), alignment_floats);
        });
        gradient_arena_floats_ = p;
    }

    std::size_t max_batch_;
    template <std::size_t... I>
    static auto layer_tuple(std::index_sequence<I...>) -> boost::hana::tuple<layer_at<I>...>;

    decltype(layer_tuple(std::make_index_sequence<depth>{})) layers_;
    std::array<std::size_t, depth> activation_offset_{};
    std::array<std::size_t, depth> first_parameter_{};  // where each entry's tensors start in the parameter arenas
    std::size_t gradient_arena_floats_ = 0;
    std::size_t gradient_slot_floats_ = 0;
    aligned_buffer activations_, gradients_, values_, grads_, scratch_, workspace_;
    std::vector<parameter_ref> all_, trainable_;
};

// A type list with an entry that is not a layer spec: one line per missing member, and nothing else to fail.
template <class... Specs>
    requires(!(layer_spec<Specs> && ...))
class network<Specs...> {
    static_assert(((sizeof(layer_spec_check<Specs>) > 0) && ...));
};

}  // namespace stag
