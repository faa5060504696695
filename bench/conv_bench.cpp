// Convolution throughput of every conv layer of the HW4 CNNs (batch 64): forward (bias + ReLU fused),
// backward-data and backward-weights, on 1 and 2 threads, as GFLOP/s and as a fraction of the FMA peak
// probed right before each measurement (these machines drift); then whole training steps in images/s.
//   build/release/bench/conv_bench [--benchmark_filter=...]
// bench/compare_pytorch_cnn.py runs the training-step rows against PyTorch in the same session.
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <vector>

#include "part2.hpp"
#include "peak.hpp"

using namespace stag;

namespace {

constexpr std::size_t batch = 64;
enum class conv_pass { forward, backward_data, backward_weights };

// Layer `Index` of network `Net`, one pass, on state.range(0) threads.
template <class Net, std::size_t Index, conv_pass Pass>
void conv_layer(benchmark::State& state) {
    const auto threads = static_cast<std::size_t>(state.range(0));
    const kernels::conv_geometry g = Net::template layer_at<Index>::geometry(batch);
    rng random(1);
    const auto filled = [&](std::size_t n) {
        aligned_buffer b(n);
        for (std::size_t i = 0; i < n; ++i) b.data()[i] = static_cast<float>(random.uniform(-1.0, 1.0));
        return b;
    };
    aligned_buffer x = filled(g.batch * g.in_h * g.in_w * g.channels), w = filled(g.patch() * g.filters),
                   bias = filled(g.filters + kernels::tile_cols), dz = filled(g.pixels() * g.filters);
    aligned_buffer y(g.pixels() * g.filters), dw(g.patch() * g.filters), dx(x.size());
    aligned_buffer frame(g.input_frame_floats()), workspace(kernels::conv_workspace_floats(g));
    const float* b = bias.data();
    const auto epilogue = [b](simd::vfloat acc, std::size_t col) { return fn::relu::apply(acc + simd::load(b + col)); };
    kernels::conv_forward(g, x.data(), w.data(), y.data(), frame.data(), workspace.data(), epilogue);

    const double peak = bench::probe_peak_gflops(threads);
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    for (auto _ : state) {
        if constexpr (Pass == conv_pass::forward)
            kernels::conv_forward(g, x.data(), w.data(), y.data(), frame.data(), workspace.data(), epilogue);
        else if constexpr (Pass == conv_pass::backward_data)
            kernels::conv_backward_data(g, dz.data(), w.data(), dx.data(), workspace.data());
        else
            kernels::conv_backward_weights(g, frame.data(), dz.data(), dw.data(), workspace.data(), [](std::size_t, float s) { return s; });
        benchmark::ClobberMemory();
    }
    const double gflops = g.flops() * double(state.iterations()) / 1e9;
    state.counters["GFLOP/s"] = benchmark::Counter(gflops, benchmark::Counter::kIsRate);
    state.counters["peak_GFLOP/s"] = peak;
    state.counters["of_peak"] = benchmark::Counter(gflops / peak, benchmark::Counter::kIsRate);
}

void on_one_and_two_threads(benchmark::internal::Benchmark* b) { b->Arg(1)->Arg(2)->ArgName("threads")->UseRealTime(); }

#define STAG_CONV_LAYER(net, index, label)                                                                          \
    BENCHMARK(conv_layer<models::net<10>, index, conv_pass::forward>)                                               \
        ->Name(#net "/" label "/forward")->Apply(on_one_and_two_threads);                                           \
    BENCHMARK(conv_layer<models::net<10>, index, conv_pass::backward_data>)                                         \
        ->Name(#net "/" label "/backward_data")->Apply(on_one_and_two_threads);                                     \
    BENCHMARK(conv_layer<models::net<10>, index, conv_pass::backward_weights>)                                      \
        ->Name(#net "/" label "/backward_weights")->Apply(on_one_and_two_threads)
// The entries of get_net's type list that are convolutions.
#define STAG_CONV_NET(net)            \
    STAG_CONV_LAYER(net, 1, "conv1"); \
    STAG_CONV_LAYER(net, 6, "conv2"); \
    STAG_CONV_LAYER(net, 10, "conv3"); \
    STAG_CONV_LAYER(net, 15, "conv4"); \
    STAG_CONV_LAYER(net, 19, "conv5")

// Whole training steps (batch 64): forward, loss + penalty, backward, Adam.
template <class Net>
void train_step(benchmark::State& state) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(state.range(0)));
    model<Net> m(batch, adam{}, 1);
    std::vector<std::uint8_t> labels(batch);
    for (std::size_t i = 0; i < batch; ++i) labels[i] = static_cast<std::uint8_t>(i % 10);
    for (std::size_t i = 0; i < batch * Net::input_shape.size(); ++i) m.network().input()[i] = float(i % 251) / 251.0f;
    m.train_step(labels.data(), batch, 1);
    for (auto _ : state) benchmark::DoNotOptimize(m.train_step(labels.data(), batch, 1));
    state.counters["images/s"] = benchmark::Counter(double(batch), benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

BENCHMARK(bench::peak_fma)->Apply(on_one_and_two_threads);
STAG_CONV_NET(cnn);
STAG_CONV_NET(cnn_half);
BENCHMARK(train_step<models::cnn<10>>)->Name("train_step/cnn")->Apply(on_one_and_two_threads)->MinTime(2.0);
BENCHMARK(train_step<models::cnn_half<10>>)->Name("train_step/cnn_half")->Apply(on_one_and_two_threads);

BENCHMARK_MAIN();
