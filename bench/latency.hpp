#pragma once
// One-image latency: model::predict on a single image (a model planned for batch 1), on state.range(0)
// threads, reported as seconds per image ("latency=40u" is 40 µs). The images are Fashion-MNIST's first
// test images where Debian's dataset-fashion-mnist is installed (what the default job trains on), taken in
// turn: the latency of a real input, whose zeros (background, frame) the one-row kernels skip. Elsewhere
// they are uniform noise, with no zeros; the counter fashion_mnist says which.
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <filesystem>
#include <vector>

#include "stag/core/random.hpp"
#include "stag/data/idx.hpp"
#include "stag/graph/model.hpp"

namespace stag::bench {

inline constexpr std::size_t latency_images = 256;

// latency_images images of `input` shape, and whether they are Fashion-MNIST's.
inline std::pair<std::vector<float>, bool> latency_inputs(shape input) {
    using namespace data;
    const std::string dir = fashion_mnist_dir;
    if (std::filesystem::exists(dir + "/t10k-images-idx3-ubyte.gz")) {
        dataset test =
            read_idx_pair(dir + "/t10k-images-idx3-ubyte.gz", dir + "/t10k-labels-idx1-ubyte.gz", fashion_mnist_classes, "fashion-mnist/test", input);
        test.images.resize(latency_images * input.size());
        return {std::move(test.images), true};
    }
    std::vector<float> noise(latency_images * input.size());
    rng g(1);
    for (float& v : noise) v = static_cast<float>(g.uniform(0.001, 1.0));
    return {std::move(noise), false};
}

template <class Net>
void predict_one(benchmark::State& state) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(state.range(0)));
    model<Net> m(1, adam{}, 1);
    constexpr std::size_t size = Net::input_shape.size();
    const auto [images, fashion_mnist] = latency_inputs(Net::input_shape);
    std::vector<float> probabilities(Net::output_shape.c);
    m.predict(images.data(), 1, probabilities.data());
    std::size_t next = 0;
    for (auto _ : state) {
        m.predict(images.data() + next * size, 1, probabilities.data());
        next = (next + 1) % latency_images;
        benchmark::DoNotOptimize(probabilities.data());
        benchmark::ClobberMemory();
    }
    state.counters["latency"] = benchmark::Counter(1.0, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);  // s per image
    state.counters["fashion_mnist"] = fashion_mnist ? 1.0 : 0.0;
}

}  // namespace stag::bench
