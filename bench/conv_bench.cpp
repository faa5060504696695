// Convolution throughput of every conv layer of the HW4 CNNs (batch 64): forward (bias + ReLU fused),
// backward-data and backward-weights, on 1 and 2 threads, as GFLOP/s and as a fraction of the FMA peak
// probed right before each measurement (these machines drift); then whole training steps in images/s and
// the one-image latency of cnn.
//   build/release/bench/conv_bench [--benchmark_filter=...]
// bench/compare_pytorch_cnn.py runs the training-step rows against PyTorch in the same session.
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <array>
#include <cmath>
#include <utility>
#include <vector>

#include "part2.hpp"
#include "stag/kernels/reference/conv.hpp"
#include "latency.hpp"
#include "peak.hpp"

using namespace stag;

namespace {

constexpr std::size_t batch = 64;
// The entries of get_net's type list that are convolutions.
constexpr std::array<std::size_t, 5> conv_entries{1, 6, 10, 15, 19};
enum class conv_pass { forward, backward_data, backward_weights };

// Inputs, outputs and scratch for one conv layer's three passes, filled with random values.
class conv_layer_run {
public:
    explicit conv_layer_run(const kernels::conv_geometry& g)
        : g_(g),
          x_(filled(g.batch * g.in_h * g.in_w * g.channels)),
          w_(filled(g.patch() * g.filters)),
          bias_(filled(g.filters + kernels::epilogue_over_read)),
          dz_(filled(g.pixels() * g.filters)),
          y_(g.pixels() * g.filters),
          dw_(g.patch() * g.filters),
          dx_(x_.size()),
          frame_(g.input_frame_floats()),
          workspace_(kernels::conv_workspace_floats(g)) {
        run(conv_pass::forward);
    }

    // Forward as the network runs it: bias + ReLU in the epilogue.
    void run(conv_pass pass) {
        if (pass == conv_pass::forward)
            kernels::conv_forward(g_, {x_.data(), w_.data(), y_.data(), frame_.data()}, workspace_.data(),
                                  kernels::bias_activation<fn::relu>{bias_.data()});
        else if (pass == conv_pass::backward_data)
            kernels::conv_backward_data(g_, dz_.data(), w_.data(), dx_.data(), workspace_.data());
        else
            kernels::conv_backward_weights(g_, {frame_.data(), dz_.data(), dw_.data()}, workspace_.data(), kernels::keep_sum{});
    }
    double flops() const { return g_.flops(); }

private:
    aligned_buffer filled(std::size_t n) {
        aligned_buffer b(n);
        for (std::size_t i = 0; i < n; ++i) b.data()[i] = static_cast<float>(random_.uniform(-1.0, 1.0));
        return b;
    }
    kernels::conv_geometry g_;
    rng random_{1};
    aligned_buffer x_, w_, bias_, dz_, y_, dw_, dx_, frame_, workspace_;
};

// The worst relative error of the three passes against kernels/reference/ on one sample of this layer:
// a benchmark of wrong results measures nothing.
double error_against_reference(kernels::conv_geometry g) {
    g.batch = 1;
    rng random(2);
    const auto filled = [&](std::size_t n) {
        std::vector<float> v(n);
        for (float& f : v) f = static_cast<float>(random.uniform(-1.0, 1.0));
        return v;
    };
    const std::vector<float> x = filled(g.in_h * g.in_w * g.channels), w = filled(g.patch() * g.filters), dz = filled(g.pixels() * g.filters);
    std::vector<float> y(dz.size()), dw(w.size()), dx(x.size());
    aligned_buffer frame(g.input_frame_floats()), workspace(kernels::conv_workspace_floats(g));
    kernels::conv_forward(g, {x.data(), w.data(), y.data(), frame.data()}, workspace.data(), kernels::store_plain{});
    kernels::conv_backward_weights(g, {frame.data(), dz.data(), dw.data()}, workspace.data(), kernels::keep_sum{});
    kernels::conv_backward_data(g, dz.data(), w.data(), dx.data(), workspace.data());
    const kernels::reference::conv_passes want = kernels::reference::conv(g, x, w, dz);
    double worst = 0.0;
    for (const auto& [got, expected] : {std::pair{&y, &want.y}, std::pair{&dw, &want.dw}, std::pair{&dx, &want.dx}})
        for (std::size_t i = 0; i < got->size(); ++i)
            worst = std::max(worst, std::abs((*got)[i] - (*expected)[i]) / (1.0 + std::abs((*expected)[i])));
    return worst;
}

// GFLOP/s, the peak probed just before, and their ratio.
void report(benchmark::State& state, double flops_per_iteration, double peak) {
    const double gflops = flops_per_iteration * double(state.iterations()) / 1e9;
    state.counters["GFLOP/s"] = benchmark::Counter(gflops, benchmark::Counter::kIsRate);
    state.counters["peak_GFLOP/s"] = peak;
    state.counters["of_peak"] = benchmark::Counter(gflops / peak, benchmark::Counter::kIsRate);
}

// Layer `Index` of network `Net`, one pass, on state.range(0) threads.
template <class Net, std::size_t Index, conv_pass Pass>
void conv_layer(benchmark::State& state) {
    const auto threads = static_cast<std::size_t>(state.range(0));
    conv_layer_run layer(Net::template layer_at<Index>::geometry(batch));
    if (error_against_reference(Net::template layer_at<Index>::geometry(batch)) > 1e-4) {
        state.SkipWithError("the kernels disagree with kernels/reference/ on this layer");
        return;
    }
    const double peak = bench::probe_peak_gflops(threads);
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    for (auto _ : state) {
        layer.run(Pass);
        benchmark::ClobberMemory();
    }
    report(state, layer.flops(), peak);
}

// All three passes of all five conv layers: the aggregate the acceptance bar is about.
template <class Net>
void all_conv_passes(benchmark::State& state) {
    const auto threads = static_cast<std::size_t>(state.range(0));
    std::vector<conv_layer_run> layers;
    [&]<std::size_t... K>(std::index_sequence<K...>) {
        (layers.emplace_back(Net::template layer_at<conv_entries[K]>::geometry(batch)), ...);
    }(std::make_index_sequence<conv_entries.size()>{});
    double flops = 0.0;
    for (const conv_layer_run& l : layers) flops += 3.0 * l.flops();
    const double peak = bench::probe_peak_gflops(threads);
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    for (auto _ : state) {
        for (conv_layer_run& l : layers)
            for (conv_pass pass : {conv_pass::forward, conv_pass::backward_data, conv_pass::backward_weights}) l.run(pass);
        benchmark::ClobberMemory();
    }
    report(state, flops, peak);
}

void on_one_and_two_threads(benchmark::internal::Benchmark* b) { b->Arg(1)->Arg(2)->ArgName("threads")->UseRealTime(); }

// Conv layer k (0-based) of a net, as "<net>/conv<k+1>/<pass>" rows.
#define STAG_CONV_LAYER(net, k, label)                                                                                \
    BENCHMARK(conv_layer<models::net<10>, conv_entries[k], conv_pass::forward>)                                       \
        ->Name(#net "/" label "/forward")->Apply(on_one_and_two_threads);                                             \
    BENCHMARK(conv_layer<models::net<10>, conv_entries[k], conv_pass::backward_data>)                                 \
        ->Name(#net "/" label "/backward_data")->Apply(on_one_and_two_threads);                                       \
    BENCHMARK(conv_layer<models::net<10>, conv_entries[k], conv_pass::backward_weights>)                              \
        ->Name(#net "/" label "/backward_weights")->Apply(on_one_and_two_threads)
#define STAG_CONV_NET(net)             \
    STAG_CONV_LAYER(net, 0, "conv1"); \
    STAG_CONV_LAYER(net, 1, "conv2"); \
    STAG_CONV_LAYER(net, 2, "conv3"); \
    STAG_CONV_LAYER(net, 3, "conv4"); \
    STAG_CONV_LAYER(net, 4, "conv5")

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
BENCHMARK(all_conv_passes<models::cnn<10>>)->Name("cnn/all_conv_passes")->Apply(on_one_and_two_threads);
STAG_CONV_NET(cnn_half);
BENCHMARK(all_conv_passes<models::cnn_half<10>>)->Name("cnn_half/all_conv_passes")->Apply(on_one_and_two_threads);
BENCHMARK(train_step<models::cnn<10>>)->Name("train_step/cnn")->Apply(on_one_and_two_threads)->MinTime(2.0);
BENCHMARK(train_step<models::cnn_half<10>>)->Name("train_step/cnn_half")->Apply(on_one_and_two_threads);
BENCHMARK(bench::predict_one<models::cnn<10>>)->Name("predict_one/cnn")->Apply(on_one_and_two_threads);

BENCHMARK_MAIN();
