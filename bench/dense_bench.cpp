// Dense-layer throughput (GFLOP/s) for the Part 1 shapes, the machine's FMA peak in the same run, and
// end-to-end training speed (images/s) of model_relu on 1 and 2 threads, and its one-image latency.
//   build/release/bench/dense_bench
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include "part1.hpp"
#include "latency.hpp"
#include "peak.hpp"

using namespace stag;

namespace {

BENCHMARK(bench::peak_fma)->Arg(1)->Arg(2)->UseRealTime()->ArgName("threads");

template <std::size_t In, std::size_t Out>
using dense_relu = sequential<input<1, 1, In>, dense<Out>, relu>;

// One dense layer (with fused ReLU): forward, or backward including the input gradient.
template <std::size_t In, std::size_t Out, bool Backward>
void dense_pass(benchmark::State& state) {
    const auto batch = static_cast<std::size_t>(state.range(0));
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(state.range(1)));
    dense_relu<In, Out> net(batch);
    net.initialize(1);
    for (std::size_t i = 0; i < batch * In; ++i) net.input()[i] = float(i % 17) / 17.0f - 0.4f;
    std::vector<float> dx(batch * In);
    const step_context ctx{mode::train, batch, 1, 0};
    net.forward(ctx);
    for (auto _ : state) {
        if constexpr (Backward) {
            for (std::size_t i = 0; i < batch * Out; ++i) net.output_gradient()[i] = 1e-3f * float(i % 5);
            net.backward(ctx, dx.data());
        } else {
            net.forward(ctx);
        }
        benchmark::ClobberMemory();
    }
    const double flops = (Backward ? 4.0 : 2.0) * double(batch) * In * Out;
    state.counters["GFLOP/s"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}
#define STAG_DENSE_BENCH(In, Out)                                                                            \
    BENCHMARK(dense_pass<In, Out, false>)->Name("dense_forward/" #In "x" #Out)->ArgsProduct({{1, 32, 64}, {1, 2}}) \
        ->ArgNames({"batch", "threads"})->UseRealTime();                                                      \
    BENCHMARK(dense_pass<In, Out, true>)->Name("dense_backward/" #In "x" #Out)->ArgsProduct({{32, 64}, {1, 2}}) \
        ->ArgNames({"batch", "threads"})->UseRealTime()
STAG_DENSE_BENCH(1024, 300);
STAG_DENSE_BENCH(300, 150);
STAG_DENSE_BENCH(150, 10);

// Whole training steps of model_relu (batch 64): forward, loss, backward, Adam.
void train_model_relu(benchmark::State& state) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(state.range(0)));
    constexpr std::size_t batch = 64;
    model<models::model_relu<10>> m(batch, adam{}, 1);
    std::vector<std::uint8_t> labels(batch);
    for (std::size_t i = 0; i < batch; ++i) labels[i] = static_cast<std::uint8_t>(i % 10);
    for (std::size_t i = 0; i < batch * 1024; ++i) m.network().input()[i] = float(i % 251) / 251.0f;
    for (auto _ : state) benchmark::DoNotOptimize(m.train_step(labels.data(), batch, 1));
    state.counters["images/s"] = benchmark::Counter(double(batch), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(train_model_relu)->Arg(1)->Arg(2)->ArgName("threads")->UseRealTime();
BENCHMARK(bench::predict_one<models::model_relu<10>>)->Name("predict_one/model_relu")->Arg(1)->Arg(2)->ArgName("threads")->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
