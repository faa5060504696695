#pragma once
// One-image latency: model::predict on a single image (a model planned for batch 1), on state.range(0)
// threads, reported as seconds per image ("latency=40u" is 40 µs).
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <vector>

#include "stag/graph/model.hpp"

namespace stag::bench {

template <class Net>
void predict_one(benchmark::State& state) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(state.range(0)));
    model<Net> m(1, adam{}, 1);
    std::vector<float> image(Net::input_shape.size()), probabilities(Net::output_shape.c);
    for (std::size_t i = 0; i < image.size(); ++i) image[i] = float(i % 251) / 251.0f;
    m.predict(image.data(), 1, probabilities.data());
    for (auto _ : state) {
        m.predict(image.data(), 1, probabilities.data());
        benchmark::DoNotOptimize(probabilities.data());
        benchmark::ClobberMemory();
    }
    state.counters["latency"] = benchmark::Counter(1.0, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);  // s per image
}

}  // namespace stag::bench
