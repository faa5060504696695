// Kernels against plain references on awkward sizes, transposes and epilogues.
#include <catch2/catch.hpp>
#include <tbb/global_control.h>

#include <cmath>
#include <vector>

#include "reference.hpp"
#include "stag/core/aligned_buffer.hpp"
#include "stag/core/random.hpp"
#include "stag/kernels/elementwise.hpp"
#include "stag/kernels/gemm.hpp"

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
    kernels::gemm(m, n, k, av, bv, c.data(), n, workspace.data());
    const std::vector<double> ref = testing::reference_gemm(m, n, k, av, bv);
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
    std::vector<float> bias = random_vector(n + kernels::gemm_nr, 3);
    aligned_buffer workspace(kernels::gemm_workspace_floats(m, n, k));
    std::vector<float> c(m * n);
    kernels::gemm(m, n, k, matrix_cref::row_major(a.data(), k), matrix_cref::row_major(b.data(), n), c.data(), n,
                  workspace.data(), [&](simd::vfloat acc, std::size_t col) { return fn::relu::apply(acc + simd::load(bias.data() + col)); });
    const auto ref = testing::reference_gemm(m, n, k, matrix_cref::row_major(a.data(), k), matrix_cref::row_major(b.data(), n));
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = 0; j < n; ++j) CHECK(c[i * n + j] == Approx(std::max(0.0, ref[i * n + j] + bias[j])).margin(1e-5));
}

TEST_CASE("gemm gives bitwise identical results on 1 and 2 threads", "[kernels][gemm][determinism]") {
    constexpr std::size_t m = 64, n = 300, k = 1024;
    const std::vector<float> a = random_vector(m * k, 5), b = random_vector(k * n, 6);
    aligned_buffer workspace(kernels::gemm_workspace_floats(m, n, k));
    std::vector<float> one(m * n), two(m * n);
    {
        tbb::global_control single(tbb::global_control::max_allowed_parallelism, 1);
        kernels::gemm(m, n, k, matrix_cref::row_major(a.data(), k), matrix_cref::row_major(b.data(), n), one.data(), n, workspace.data());
    }
    {
        tbb::global_control pair(tbb::global_control::max_allowed_parallelism, 2);
        kernels::gemm(m, n, k, matrix_cref::row_major(a.data(), k), matrix_cref::row_major(b.data(), n), two.data(), n, workspace.data());
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
    constexpr std::size_t rows = 5, cols = 19;
    const std::vector<float> y = random_vector(rows * cols, 8);
    std::vector<float> dy = random_vector(rows * cols, 9), expected = dy, sums(cols);
    kernels::activation_backward_column_sums<fn::relu>(rows, cols, y.data(), dy.data(), sums.data());
    for (std::size_t j = 0; j < cols; ++j) {
        double s = 0.0;
        for (std::size_t r = 0; r < rows; ++r) {
            const float dz = y[r * cols + j] > 0 ? expected[r * cols + j] : 0.0f;
            CHECK(dy[r * cols + j] == dz);
            s += dz;
        }
        CHECK(sums[j] == Approx(s).margin(1e-6));
    }
}
