#pragma once
// check_layer<Spec, In>(): everything a new layer must pass, in one call from a Catch2 test
// (docs/writing-a-layer.md): the protocol and shapes (at compile time), its parameter count, its
// gradients against central differences, and bitwise identical passes on 1 and 2 threads.
#include <tbb/global_control.h>

#include <vector>

#include "gradient_check.hpp"

namespace stag::testing {

template <class Spec, shape In>
void check_layer(const gradient_check_options& o = {}) {
    // The layer between an input and a small dense head, so its input gradient and its own tensors are checked.
    using probe = sequential<input<In.h, In.w, In.c>, Spec, flatten, dense<3>>;
    using bound = typename probe::template layer_at<1>;
    static_assert(bound::input_shape == In && bound::output_shape == Spec::output_shape(In),
                  "check_layer: the bound layer's shapes disagree with the spec's output_shape");
    std::size_t declared = 0;
    for (const tensor_desc& t : bound::tensors) declared += t.size;
    CHECK(probe::layer_parameter_counts[1] == declared);

    check_gradients<probe>(o);

    // A batch large enough for the kernels to split the work: the threads must not change a bit.
    constexpr std::size_t batch = 64;
    const auto passes = [&](int threads) {
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
        probe net(batch);
        net.initialize(o.seed);
        rng g(o.seed + 2);
        for (std::size_t i = 0; i < batch * In.size(); ++i) net.input()[i] = static_cast<float>(g.uniform(-1.0, 1.0));
        const step_context ctx{mode::train, batch, o.seed, 1};
        net.forward(ctx);
        std::vector<float> result(net.output(), net.output() + batch * probe::output_shape.size());
        std::fill(net.output_gradient(), net.output_gradient() + result.size(), 1.0f);
        std::vector<float> dx(batch * In.size());
        net.backward(ctx, dx.data());
        result.insert(result.end(), dx.begin(), dx.end());
        return result;
    };
    CHECK(passes(1) == passes(2));
}

}  // namespace stag::testing
