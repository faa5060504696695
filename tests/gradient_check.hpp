#pragma once
// dlib-style test_layer(): checks a network's backward pass against central differences, for the
// input and for every trainable parameter, with loss = Σ r ⊙ output for a fixed random r.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <vector>

#include "stag/stag.hpp"

namespace stag::testing {

struct gradient_check_options {
    std::size_t batch = 3;
    std::uint64_t seed = 7;
    float step = 2e-3f;              // central-difference step: small, so ReLU kinks are rarely crossed
    double tolerance = 2e-2;         // on |analytic − numeric| / max(1, |analytic|, |numeric|)
    std::size_t max_checks = 60;     // per tensor, spread evenly
    float input_scale = 1.0f;
};

template <class Net>
class gradient_checker {
public:
    explicit gradient_checker(const gradient_check_options& o) : o_(o), net_(o.batch) {
        net_.initialize(o.seed);
        rng g(o.seed + 1);
        x_.resize(o.batch * Net::input_shape.size());
        for (float& v : x_) v = static_cast<float>(g.uniform(-1.0, 1.0)) * o.input_scale;
        r_.resize(o.batch * Net::output_shape.size());
        for (float& v : r_) v = static_cast<float>(g.uniform(-1.0, 1.0));
    }

    // Σ r ⊙ f(x) plus the regularisation penalty, accumulated in double.
    double loss() {
        std::copy(x_.begin(), x_.end(), net_.input());
        net_.forward(context());
        double s = net_.regularization_penalty();
        for (std::size_t i = 0; i < r_.size(); ++i) s += double(r_[i]) * net_.output()[i];
        return s;
    }

    void run() {
        loss();
        std::copy(r_.begin(), r_.end(), net_.output_gradient());
        std::vector<float> dx(x_.size());
        net_.backward(context(), dx.data());
        compare("input", x_.data(), dx, x_.size());
        for (const parameter_ref& p : net_.trainable_parameters()) {
            const std::vector<float> analytic(p.grad, p.grad + p.size);
            compare(p.name, p.value, analytic, p.size);
        }
    }

private:
    step_context context() const { return {mode::train, o_.batch, o_.seed, 3}; }

    void compare(const std::string& what, float* values, const std::vector<float>& analytic, std::size_t n) {
        const std::size_t stride = std::max<std::size_t>(1, n / o_.max_checks);
        std::size_t checked = 0;
        for (std::size_t i = 0; i < n; i += stride, ++checked) {
            const float saved = values[i];
            values[i] = saved + o_.step;
            const double up = loss();
            values[i] = saved - o_.step;
            const double down = loss();
            values[i] = saved;
            const double numeric = (up - down) / (2.0 * o_.step);
            const double a = analytic[i];
            const double scale = std::max({1.0, std::abs(a), std::abs(numeric)});
            INFO(what << "[" << i << "]: analytic " << a << ", numeric " << numeric);
            CHECK(std::abs(a - numeric) / scale < o_.tolerance);
        }
        CHECK(checked > 0);
    }

    gradient_check_options o_;
    Net net_;
    std::vector<float> x_, r_;
};

template <class Net>
void check_gradients(const gradient_check_options& o = {}) {
    gradient_checker<Net>(o).run();
}

}  // namespace stag::testing
