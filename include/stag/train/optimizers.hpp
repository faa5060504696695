#pragma once
// Optimisers see parameter tensors, nothing else. Defaults are Keras'.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "stag/core/aligned_buffer.hpp"
#include "stag/core/parameter.hpp"
#include "stag/kernels/optimizer_updates.hpp"

namespace stag {

namespace detail {
// One zeroed slot per parameter tensor, allocated once at setup.
inline std::vector<aligned_buffer> slots_for(const std::vector<parameter_ref>& params) {
    std::vector<aligned_buffer> slots;
    slots.reserve(params.size());
    for (const parameter_ref& p : params) slots.emplace_back(p.size);
    return slots;
}
}  // namespace detail

// Adam as Keras' (legacy) optimizer runs it: learning rate lr / (1 + decay · iterations), then
// TensorFlow's ApplyAdam with the bias corrections folded into the step size.
struct adam {
    float learning_rate = 1e-3f, beta_1 = 0.9f, beta_2 = 0.999f, epsilon = 1e-7f, decay = 0.0f;

    static std::string name() { return "adam"; }

    void setup(const std::vector<parameter_ref>& params) {
        m_ = detail::slots_for(params);
        v_ = detail::slots_for(params);
        iterations_ = 0;
    }

    // The learning rate the next step will use, after decay (what Keras would report).
    double current_learning_rate() const { return learning_rate / (1.0 + decay * static_cast<double>(iterations_)); }
    std::uint64_t iterations() const { return iterations_; }

    // What the next steps depend on besides the weights, for checkpoints: the moment slots (named after
    // their parameters) and the step count.
    std::vector<parameter_ref> state(const std::vector<parameter_ref>& params) {
        std::vector<parameter_ref> s;
        for (std::size_t i = 0; i < params.size(); ++i) s.push_back({"m/" + params[i].name, m_[i].data(), nullptr, params[i].size});
        for (std::size_t i = 0; i < params.size(); ++i) s.push_back({"v/" + params[i].name, v_[i].data(), nullptr, params[i].size});
        return s;
    }
    void restore_iterations(std::uint64_t n) { iterations_ = n; }

    // Returns the first tensor whose updated weights are not all finite (or null): see kernels::adam_update.
    const parameter_ref* step(const std::vector<parameter_ref>& params) {
        const double t = static_cast<double>(iterations_ + 1);
        const double step = current_learning_rate() * std::sqrt(1.0 - std::pow(double(beta_2), t)) / (1.0 - std::pow(double(beta_1), t));
        const parameter_ref* broken = nullptr;
        for (std::size_t i = 0; i < params.size(); ++i)
            if (!kernels::adam_update({params[i].size, params[i].value, params[i].grad}, m_[i].data(), v_[i].data(),
                                      {static_cast<float>(step), beta_1, beta_2, epsilon}) &&
                !broken)
                broken = &params[i];
        ++iterations_;
        return broken;
    }

private:
    std::vector<aligned_buffer> m_, v_;
    std::uint64_t iterations_ = 0;
};

// Keras SGD: plain, or with (non-Nesterov) momentum; same legacy decay as Adam.
struct sgd {
    float learning_rate = 0.01f, momentum = 0.0f, decay = 0.0f;

    static std::string name() { return "sgd"; }

    void setup(const std::vector<parameter_ref>& params) {
        velocity_ = detail::slots_for(params);
        iterations_ = 0;
    }
    double current_learning_rate() const { return learning_rate / (1.0 + decay * static_cast<double>(iterations_)); }
    std::uint64_t iterations() const { return iterations_; }

    std::vector<parameter_ref> state(const std::vector<parameter_ref>& params) {
        std::vector<parameter_ref> s;
        for (std::size_t i = 0; i < params.size(); ++i) s.push_back({"velocity/" + params[i].name, velocity_[i].data(), nullptr, params[i].size});
        return s;
    }
    void restore_iterations(std::uint64_t n) { iterations_ = n; }

    const parameter_ref* step(const std::vector<parameter_ref>& params) {
        const auto lr = static_cast<float>(current_learning_rate());
        const parameter_ref* broken = nullptr;
        for (std::size_t i = 0; i < params.size(); ++i)
            if (!kernels::sgd_momentum_update({params[i].size, params[i].value, params[i].grad}, velocity_[i].data(), lr, momentum) && !broken)
                broken = &params[i];
        ++iterations_;
        return broken;
    }

private:
    std::vector<aligned_buffer> velocity_;
    std::uint64_t iterations_ = 0;
};

// step() applies one update and returns the first tensor whose new weights are not all finite, or null;
// state() and restore_iterations() let a checkpoint hold and restore everything the next steps depend on.
template <class O>
struct optimizer_members {
    using refs = const std::vector<parameter_ref>&;
    static constexpr bool setup = requires(O o, refs p) { o.setup(p); };
    static constexpr bool step = requires(O o, refs p) { { o.step(p) } -> std::same_as<const parameter_ref*>; };
    static constexpr bool state = requires(O o, refs p) { { o.state(p) } -> std::same_as<std::vector<parameter_ref>>; };
    static constexpr bool restore_iterations = requires(O o) { o.restore_iterations(std::uint64_t{}); };
    static constexpr bool iterations = requires(const O o) { { o.iterations() } -> std::convertible_to<std::uint64_t>; };
    static constexpr bool current_learning_rate = requires(const O o) { { o.current_learning_rate() } -> std::convertible_to<double>; };
    static constexpr bool all = setup && step && state && restore_iterations && iterations && current_learning_rate;
};
template <class O>
concept optimizer = optimizer_members<O>::all;
template <class O>
struct optimizer_check {
    using has = optimizer_members<O>;
    static_assert(has::setup, "stag optimizer needs `void setup(const std::vector<parameter_ref>&)`");
    static_assert(has::step, "stag optimizer needs `const parameter_ref* step(const std::vector<parameter_ref>&)`");
    static_assert(has::state, "stag optimizer needs `std::vector<parameter_ref> state(const std::vector<parameter_ref>&)`");
    static_assert(has::restore_iterations, "stag optimizer needs `void restore_iterations(std::uint64_t)`");
    static_assert(has::iterations, "stag optimizer needs `std::uint64_t iterations() const`");
    static_assert(has::current_learning_rate, "stag optimizer needs `double current_learning_rate() const`");
};

}  // namespace stag
