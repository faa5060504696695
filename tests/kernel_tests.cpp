// Kernels against their plain references (kernels/reference/) on awkward sizes, transposes and epilogues.
#include <catch2/catch.hpp>
#include <tbb/global_control.h>

#include <cmath>
#include <utility>
#include <vector>

#include "stag/core/aligned_buffer.hpp"
#include "stag/core/random.hpp"
#include "stag/kernels/conv.hpp"
#include "stag/kernels/elementwise.hpp"
#include "stag/kernels/gemm.hpp"
#include "stag/kernels/normalization.hpp"
#include "stag/kernels/pooling.hpp"
#include "stag/kernels/reference/activations.hpp"
#include "stag/kernels/reference/conv.hpp"
#include "stag/kernels/reference/gemm.hpp"
#include "stag/kernels/reference/normalization.hpp"
#include "stag/kernels/reference/pooling.hpp"

using namespace stag;
using kernels::matrix_cref;

namespace {
std::vector<float> random_vector(std::size_t n, std::uint64_t seed) {
    rng g(seed);
    std::vector<float> v(n);
    for (float& x : v) x = static_cast<float>(g.uniform(-1.0, 1.0));
    return v;
}

// Runs gemm for (m, n, k) with A and B optionally transposed in memory; returns the worst relative error.
double gemm_error(std::size_t m, std::size_t n, std::size_t k, bool a_transposed, bool b_transposed) {
    const std::vector<float> a = random_vector(m * k, m * 31 + k), b = random_vector(k * n, n * 17 + k);
    const matrix_cref av = a_transposed ? matrix_cref::transposed(a.data(), m) : matrix_cref::row_major(a.data(), k);
    const matrix_cref bv = b_transposed ? matrix_cref::transposed(b.data(), k) : matrix_cref::row_major(b.data(), n);
    aligned_buffer workspace(kernels::gemm_workspace_floats(m, n, k));
    std::vector<float> c(m * n + 3, 42.0f);  // guard values past the end must survive
    kernels::gemm({m, n, k, av, bv, {c.data(), n}}, workspace.data());
    const std::vector<double> ref = kernels::reference::gemm(m, n, k, av, bv);
    double worst = 0.0;
    for (std::size_t i = 0; i < m * n; ++i) worst = std::max(worst, std::abs(c[i] - ref[i]) / (1.0 + std::abs(ref[i])));
    for (std::size_t i = m * n; i < c.size(); ++i) REQUIRE(c[i] == 42.0f);
    return worst;
}
}  // namespace

TEST_CASE("gemm matches the reference on awkward sizes and layouts", "[kernels][gemm]") {
    const std::size_t sizes[] = {1, 7, 33, 150, 300, 1024};
    for (std::size_t m : sizes)
        for (std::size_t n : sizes)
            for (std::size_t k : {std::size_t{1}, std::size_t{7}, std::size_t{150}, std::size_t{1024}}) {
                if (m * n * k > 40'000'000) continue;  // the reference is slow; the large cases add nothing new
                for (int layout = 0; layout < 4; ++layout) {
                    INFO("m=" << m << " n=" << n << " k=" << k << " layout=" << layout);
                    // float rounding grows like √k; a wrong or missing term would be ~0.1
                    CHECK(gemm_error(m, n, k, layout & 1, layout & 2) < 2e-6 * std::sqrt(double(k)));
                }
            }
}

TEST_CASE("gemm epilogue applies bias and activation per column", "[kernels][gemm]") {
    constexpr std::size_t m = 9, n = 37, k = 13;
    const std::vector<float> a = random_vector(m * k, 1), b = random_vector(k * n, 2);
    std::vector<float> bias = random_vector(n + kernels::epilogue_over_read, 3);  // the room the epilogue declares
    aligned_buffer workspace(kernels::gemm_workspace_floats(m, n, k));
    std::vector<float> c(m * n);
    const matrix_cref av = matrix_cref::row_major(a.data(), k), bv = matrix_cref::row_major(b.data(), n);
    kernels::gemm({m, n, k, av, bv, {c.data(), n}}, workspace.data(), kernels::bias_activation<fn::relu>{bias.data()});
    const auto ref = kernels::reference::gemm(m, n, k, av, bv);
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = 0; j < n; ++j) CHECK(c[i * n + j] == Approx(std::max(0.0, ref[i * n + j] + bias[j])).margin(1e-5));
}

// A few rows (a one-image forward) skip the packing; they must give the packed path's bits, epilogue included.
TEST_CASE("gemm on a few rows reads A and B in place and gives the packed path's bits", "[kernels][gemm][determinism]") {
    for (std::size_t m = 1; m <= kernels::gemm_unpacked_rows; ++m)
        for (std::size_t n : {1, 10, 16, 17, 33, 128, 150, 300, 512})  // tails in either vector, groups of panels
            for (std::size_t k : {1, 7, 1024})
                for (const bool a_transposed : {false, true}) {
                    INFO("m=" << m << " n=" << n << " k=" << k << " A transposed " << a_transposed);
                    const std::vector<float> a = random_vector(m * k, m + k), b = random_vector(k * n, n + k);
                    const std::vector<float> bias = random_vector(n + kernels::epilogue_over_read, 4);
                    const matrix_cref av = a_transposed ? matrix_cref::transposed(a.data(), m) : matrix_cref::row_major(a.data(), k);
                    aligned_buffer workspace(kernels::gemm_workspace_floats(m, n, k));
                    std::vector<float> packed(m * n), in_place(m * n);
                    const kernels::bias_activation<fn::elu<std::ratio<1>>> epilogue{bias.data()};
                    kernels::detail::gemm_packed({m, n, k, av, matrix_cref::row_major(b.data(), n), {packed.data(), n}}, workspace.data(), epilogue);
                    kernels::detail::gemm_unpacked({m, n, k, av, matrix_cref::row_major(b.data(), n), {in_place.data(), n}}, epilogue);
                    CHECK(packed == in_place);
                }
}

// One row of A skips the rows of B that meet a zero in it (ReLU outputs, image backgrounds): the same values
// as the packed path, in runs of zeros and scattered ones, across chunks of 64 and with none left at all.
TEST_CASE("gemm on one row with zeros in it skips their rows of B and gives the packed path's values", "[kernels][gemm]") {
    for (std::size_t n : {150, 512})
        for (std::size_t k : {7, 64, 300, 1024})
            for (const double zero_share : {0.0, 0.3, 0.6, 1.0}) {
                INFO("n=" << n << " k=" << k << " share of zeros " << zero_share);
                std::vector<float> a = random_vector(k, k), b = random_vector(k * n, 9);
                rng g(k);
                for (std::size_t i = 0; i < k; ++i)
                    if (g.uniform() < zero_share || (i >= k / 4 && i < k / 2 && zero_share > 0.0)) a[i] = 0.0f;
                const std::vector<float> bias = random_vector(n + kernels::epilogue_over_read, 4);
                const kernels::bias_activation<fn::relu> epilogue{bias.data()};
                aligned_buffer workspace(kernels::gemm_workspace_floats(1, n, k));
                std::vector<float> packed(n), skipping(n);
                kernels::detail::gemm_packed({1, n, k, matrix_cref::row_major(a.data(), k), matrix_cref::row_major(b.data(), n), {packed.data(), n}},
                                             workspace.data(), epilogue);
                kernels::detail::gemm_unpacked(
                    {1, n, k, matrix_cref::row_major(a.data(), k), matrix_cref::row_major(b.data(), n), {skipping.data(), n}}, epilogue);
                CHECK(packed == skipping);  // == counts -0 and +0 equal: the only difference a skipped row can make
            }
}

TEST_CASE("gemm gives bitwise identical results on 1 and 2 threads", "[kernels][gemm][determinism]") {
    constexpr std::size_t m = 64, n = 300, k = 1024;
    const std::vector<float> a = random_vector(m * k, 5), b = random_vector(k * n, 6);
    aligned_buffer workspace(kernels::gemm_workspace_floats(m, n, k));
    std::vector<float> one(m * n), two(m * n);
    {
        tbb::global_control single(tbb::global_control::max_allowed_parallelism, 1);
        kernels::gemm({m, n, k, matrix_cref::row_major(a.data(), k), matrix_cref::row_major(b.data(), n), {one.data(), n}}, workspace.data());
    }
    {
        tbb::global_control pair(tbb::global_control::max_allowed_parallelism, 2);
        kernels::gemm({m, n, k, matrix_cref::row_major(a.data(), k), matrix_cref::row_major(b.data(), n), {two.data(), n}}, workspace.data());
    }
    CHECK(one == two);
}

TEST_CASE("activation passes handle tails and column sums", "[kernels][activation]") {
    for (std::size_t n : {1, 7, 16, 33}) {
        const std::vector<float> x = random_vector(n, n);
        std::vector<float> y(n);
        kernels::activation_forward<fn::elu<std::ratio<1>>>(n, x.data(), y.data());
        for (std::size_t i = 0; i < n; ++i) CHECK(y[i] == Approx(x[i] > 0 ? x[i] : std::expm1(x[i])).margin(1e-6));
    }
    for (std::size_t rows : {5, 700}) {  // one chunk of rows, and several (summed chunk by chunk)
        constexpr std::size_t cols = 19;
        const std::vector<float> y = random_vector(rows * cols, 8);
        std::vector<float> dy = random_vector(rows * cols, 9), sums(cols);
        const kernels::reference::activation_backward_passes want = kernels::reference::activation_backward_column_sums<fn::elu<std::ratio<1>>>(rows, cols, y, dy);
        std::vector<float> partials(kernels::column_partials_floats(rows, cols, 1));
        kernels::activation_backward_column_sums<fn::elu<std::ratio<1>>>(rows, cols, y.data(), dy.data(), {sums.data(), partials.data()});
        for (std::size_t i = 0; i < dy.size(); ++i) CHECK(dy[i] == Approx(want.dz[i]).margin(1e-6));
        for (std::size_t j = 0; j < cols; ++j) CHECK(sums[j] == Approx(want.column_sums[j]).margin(1e-4));
    }
}

namespace {
// A geometry as conv2d builds it: TensorFlow's `same` (extra padding at the end) or `valid`.
kernels::conv_geometry conv_case(std::size_t batch, std::size_t h, std::size_t w, std::size_t c, std::size_t f, std::size_t kh,
                                 std::size_t kw, std::size_t stride, bool same) {
    const auto extent = [&](std::size_t in, std::size_t k) { return same ? (in + stride - 1) / stride : (in - k) / stride + 1; };
    const std::size_t oh = extent(h, kh), ow = extent(w, kw);
    return {.batch = batch, .in_h = h, .in_w = w, .channels = c, .out_h = oh, .out_w = ow, .filters = f, .kernel_h = kh, .kernel_w = kw,
            .stride = stride, .pad_top = kernels::padding_before(h, oh, kh, stride), .pad_left = kernels::padding_before(w, ow, kw, stride)};
}

struct conv_results {
    std::vector<float> y, dw, dx;
};

conv_results run_conv(const kernels::conv_geometry& g, const std::vector<float>& x, const std::vector<float>& w,
                      const std::vector<float>& dz) {
    aligned_buffer frame(g.input_frame_floats()), workspace(kernels::conv_workspace_floats(g));
    conv_results r{std::vector<float>(g.pixels() * g.filters + 1, 42.0f), std::vector<float>(w.size() + 1, 42.0f),
                   std::vector<float>(x.size() + 1, 42.0f)};
    kernels::conv_forward(g, {x.data(), w.data(), r.y.data(), frame.data()}, workspace.data(), kernels::store_plain{});
    kernels::conv_backward_weights(g, {frame.data(), dz.data(), r.dw.data()}, workspace.data(), kernels::keep_sum{});
    kernels::conv_backward_data(g, dz.data(), w.data(), r.dx.data(), workspace.data());
    // Guards past each output must survive.
    CHECK(r.y.back() == 42.0f);
    CHECK(r.dw.back() == 42.0f);
    CHECK(r.dx.back() == 42.0f);
    return r;
}

void check_close(const std::vector<float>& got, const std::vector<double>& want, const char* what, double bound = 1e-4) {
    double worst = 0.0;
    for (std::size_t i = 0; i < want.size(); ++i) worst = std::max(worst, std::abs(got[i] - want[i]) / (1.0 + std::abs(want[i])));
    INFO(what << ": worst relative error " << worst);
    CHECK(worst < bound);
}
}  // namespace

TEST_CASE("convolution passes match the textbook loops on awkward shapes", "[kernel][conv]") {
    const std::vector<kernels::conv_geometry> cases{
        conv_case(2, 7, 9, 1, 5, 3, 3, 1, true),     // one channel: narrow path, filters < vector
        conv_case(2, 7, 9, 3, 33, 3, 3, 1, true),    // RGB-like, filters just past two vectors
        conv_case(1, 9, 7, 3, 4, 5, 3, 2, false),    // valid, stride 2, non-square kernel
        conv_case(2, 5, 11, 17, 7, 3, 3, 1, true),   // channels not a multiple of the vector width
        conv_case(3, 6, 6, 32, 64, 3, 3, 1, true),   // the homework's kind of layer, small map
        conv_case(2, 8, 7, 20, 19, 3, 3, 2, true),   // stride 2 on the direct path
        conv_case(2, 5, 5, 16, 40, 1, 1, 1, false),  // 1×1
        conv_case(1, 4, 13, 48, 9, 3, 5, 1, false),  // wide valid kernel, rows longer than a tile
    };
    for (const kernels::conv_geometry& g : cases) {
        INFO("batch " << g.batch << ", " << g.in_h << "x" << g.in_w << "x" << g.channels << " -> " << g.filters << " filters "
                      << g.kernel_h << "x" << g.kernel_w << " stride " << g.stride);
        const std::vector<float> x = random_vector(g.batch * g.in_h * g.in_w * g.channels, 1);
        const std::vector<float> w = random_vector(g.patch() * g.filters, 2);
        const std::vector<float> dz = random_vector(g.pixels() * g.filters, 3);
        const conv_results r = run_conv(g, x, w, dz);
        const kernels::reference::conv_passes want = kernels::reference::conv(g, x, w, dz);
        check_close(r.y, want.y, "forward");
        check_close(r.dw, want.dw, "backward-weights");
        check_close(r.dx, want.dx, "backward-data");
    }
}

TEST_CASE("convolution passes give the same bits on 1 and 2 threads", "[kernel][conv][threads]") {
    const kernels::conv_geometry g = conv_case(8, 16, 16, 64, 96, 3, 3, 1, true);
    const std::vector<float> x = random_vector(g.batch * g.in_h * g.in_w * g.channels, 4);
    const std::vector<float> w = random_vector(g.patch() * g.filters, 5), dz = random_vector(g.pixels() * g.filters, 6);
    const auto on = [&](int threads) {
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
        return run_conv(g, x, w, dz);
    };
    const conv_results one = on(1), two = on(2);
    CHECK(one.y == two.y);
    CHECK(one.dw == two.dw);
    CHECK(one.dx == two.dx);
}

TEST_CASE("max pooling matches the reference and routes gradients to the maxima", "[kernel][pool]") {
    for (const kernels::pool_geometry& g : {kernels::pool_geometry{2, 5, 7, 19, 2, 3, 2, 2, 2, 2},
                                           kernels::pool_geometry{1, 7, 7, 3, 3, 3, 3, 3, 2, 2}}) {
        const std::vector<float> x = random_vector(g.batch * g.in_h * g.in_w * g.channels, 7);
        const std::vector<float> dy = random_vector(g.batch * g.out_h * g.out_w * g.channels, 8);
        std::vector<float> y(dy.size()), argmax(dy.size()), dx(x.size());
        kernels::max_pool_forward(g, x.data(), y.data(), argmax.data());
        kernels::max_pool_backward(g, dy.data(), argmax.data(), dx.data());
        const kernels::reference::pool_passes want = kernels::reference::max_pool(g, x, dy);
        for (std::size_t i = 0; i < y.size(); ++i) CHECK(y[i] == want.y[i]);
        for (std::size_t i = 0; i < x.size(); ++i) CHECK(dx[i] == Approx(want.dx[i]).margin(1e-6));
    }
}

// Channel counts below, at and past a vector width; overlapping and gapped windows.
TEST_CASE("average pooling matches the reference on awkward shapes", "[kernel][pool]") {
    for (const kernels::pool_geometry& g : {kernels::pool_geometry{2, 5, 7, 19, 2, 3, 2, 2, 2, 2}, kernels::pool_geometry{1, 7, 7, 3, 3, 3, 3, 3, 2, 2},
                                            kernels::pool_geometry{3, 9, 8, 37, 2, 2, 2, 3, 4, 3}}) {
        const std::vector<float> x = random_vector(g.batch * g.in_h * g.in_w * g.channels, 9);
        const std::vector<float> dy = random_vector(g.batch * g.out_h * g.out_w * g.channels, 10);
        std::vector<float> y(dy.size()), dx(x.size(), 42.0f);
        kernels::average_pool_forward(g, x.data(), y.data());
        kernels::average_pool_backward(g, dy.data(), dx.data());
        const kernels::reference::pool_passes want = kernels::reference::average_pool(g, x, dy);
        for (std::size_t i = 0; i < y.size(); ++i) CHECK(y[i] == Approx(want.y[i]).margin(1e-6));
        for (std::size_t i = 0; i < x.size(); ++i) CHECK(dx[i] == Approx(want.dx[i]).margin(1e-6));
    }
}

TEST_CASE("average pooling gives the same bits on 1 and 2 threads", "[kernel][pool][threads]") {
    const kernels::pool_geometry g{16, 32, 32, 64, 16, 16, 2, 2, 2, 2};
    const std::vector<float> x = random_vector(g.batch * g.in_h * g.in_w * g.channels, 11);
    const std::vector<float> dy = random_vector(g.batch * g.out_h * g.out_w * g.channels, 12);
    const auto on = [&](int threads) {
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
        std::vector<float> y(dy.size()), dx(x.size());
        kernels::average_pool_forward(g, x.data(), y.data());
        kernels::average_pool_backward(g, dy.data(), dx.data());
        return std::pair{y, dx};
    };
    CHECK(on(1) == on(2));
}

TEST_CASE("batch norm matches the reference, its statistics in one pass surviving a large offset", "[kernel][batch_norm]") {
    constexpr std::size_t rows = 1000, features = 21;  // several row chunks, a feature tail
    std::vector<float> x = random_vector(rows * features, 11);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = 1000.0f + 0.01f * x[i] * static_cast<float>(1 + i % features);
    const std::vector<float> dy = random_vector(rows * features, 12);
    const kernels::reference::batch_norm_weights weights{random_vector(features, 13), random_vector(features, 14), 1e-3};
    std::vector<float> y(x.size()), x_hat(x.size()), mean(features), inv_std(features), d_gamma(features), d_beta(features), dx(x.size());
    std::vector<float> moving_mean(features, 0.0f), moving_var(features, 1.0f);
    std::vector<float> partials(kernels::batch_norm_partials_floats(rows, features));
    const kernels::batch_norm_scratch kept{x_hat.data(), mean.data(), inv_std.data(), partials.data()};
    kernels::batch_norm_forward_train({rows, features}, x.data(), y.data(), kept,
                                      {weights.gamma.data(), weights.beta.data(), moving_mean.data(), moving_var.data(), 0.99f, 1e-3f});
    kernels::batch_norm_backward({rows, features}, {dy.data(), d_gamma.data(), d_beta.data(), dx.data()}, weights.gamma.data(), kept);
    const kernels::reference::batch_norm_passes want = kernels::reference::batch_norm({rows, features}, x, dy, weights);
    for (std::size_t f = 0; f < features; ++f) {
        CHECK(mean[f] == Approx(want.mean[f]).epsilon(1e-6));
        CHECK(1.0 / (double(inv_std[f]) * inv_std[f]) - 1e-3 == Approx(want.variance[f]).epsilon(2e-2));
        CHECK(moving_var[f] == Approx(0.99 + 0.01 * want.variance[f]).epsilon(1e-6));
        CHECK(d_beta[f] == Approx(want.d_beta[f]).margin(1e-3));
        CHECK(d_gamma[f] == Approx(want.d_gamma[f]).epsilon(1e-2));  // x̂ of a 1e-2 spread at 1000 carries float rounding
    }
    check_close(y, want.y, "forward", 2e-2);
    check_close(dx, want.dx, "backward", 2e-2);
}

// Normalising image rows of an N×H×W×C array is normalising the channels of its (N·W·C)×H transpose:
// the segment kernels (all three passes) against the row-chunk kernels on the transposed copy.
TEST_CASE("batch norm over the middle axis equals channel batch norm on the transpose", "[kernel][batch_norm]") {
    constexpr std::size_t n = 3, h = 9, inner = 37;  // W·C: vectors and a tail
    constexpr std::size_t count = n * h * inner;
    const std::vector<float> x = random_vector(count, 5), dy = random_vector(count, 6);
    const auto transpose = [&](const std::vector<float>& a) {  // [n][h][inner] -> [(n, inner)][h]
        std::vector<float> t(count);
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t f = 0; f < h; ++f)
                for (std::size_t j = 0; j < inner; ++j) t[(i * inner + j) * h + f] = a[(i * h + f) * inner + j];
        return t;
    };
    const std::vector<float> gamma = random_vector(h, 7), beta = random_vector(h, 8);
    struct run {
        std::vector<float> y, x_hat, mean, inv_std, moving_mean, moving_var, d_gamma, d_beta, dx, y_inference;
    };
    const auto fresh = [&] {
        return run{std::vector<float>(count), std::vector<float>(count), std::vector<float>(h), std::vector<float>(h),
                   std::vector<float>(h, 0.0f), std::vector<float>(h, 1.0f), std::vector<float>(h), std::vector<float>(h),
                   std::vector<float>(count), std::vector<float>(count)};
    };
    run seg = fresh(), col = fresh();
    const auto params = [&](run& r) {
        return kernels::batch_norm_params{gamma.data(), beta.data(), r.moving_mean.data(), r.moving_var.data(), 0.9f, 1e-3f};
    };
    const kernels::segment_layout layout{n, h, inner};
    const auto kept = [](run& r, std::vector<float>& partials) {
        return kernels::batch_norm_scratch{r.x_hat.data(), r.mean.data(), r.inv_std.data(), partials.data()};
    };
    const auto gradients = [&](run& r, const std::vector<float>& d) {
        return kernels::batch_norm_gradients{d.data(), r.d_gamma.data(), r.d_beta.data(), r.dx.data()};
    };
    std::vector<float> partials(kernels::batch_norm_partials_floats(n * inner, h)), scale(h), shift(h);
    kernels::batch_norm_segments_forward_train(layout, x.data(), seg.y.data(), kept(seg, partials), params(seg));
    kernels::batch_norm_segments_backward(layout, gradients(seg, dy), gamma.data(), kept(seg, partials));
    kernels::batch_norm_segments_forward_inference(layout, x.data(), seg.y_inference.data(), {scale.data(), shift.data()}, params(seg));

    const std::vector<float> xt = transpose(x), dyt = transpose(dy);
    kernels::batch_norm_forward_train({n * inner, h}, xt.data(), col.y.data(), kept(col, partials), params(col));
    kernels::batch_norm_backward({n * inner, h}, gradients(col, dyt), gamma.data(), kept(col, partials));
    kernels::batch_norm_forward_inference({n * inner, h}, xt.data(), col.y_inference.data(), {scale.data(), shift.data()}, params(col));
    const kernels::reference::batch_norm_passes want = kernels::reference::batch_norm({n * inner, h}, xt, dyt, {gamma, beta, 1e-3});
    check_close(transpose(seg.y), want.y, "segments forward");
    check_close(transpose(seg.dx), want.dx, "segments backward");

    const auto close = [](const std::vector<float>& a, const std::vector<float>& b) {
        REQUIRE(a.size() == b.size());
        for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i] == Approx(b[i]).margin(2e-5));
    };
    close(seg.mean, col.mean);
    close(seg.inv_std, col.inv_std);
    close(seg.moving_mean, col.moving_mean);
    close(seg.moving_var, col.moving_var);
    close(seg.d_gamma, col.d_gamma);
    close(seg.d_beta, col.d_beta);
    close(transpose(seg.y), col.y);
    close(transpose(seg.dx), col.dx);
    close(transpose(seg.y_inference), col.y_inference);
}
