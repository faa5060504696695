#pragma once
// Training-mode batch normalisation over the columns of a rows × features matrix, in double
// (see reference/gemm.hpp): biased variance, as Keras.
#include <cmath>
#include <cstddef>
#include <vector>

#include "stag/kernels/normalization.hpp"

namespace stag::kernels::reference {

struct batch_norm_weights {
    std::vector<float> gamma, beta;
    double epsilon;
};

struct batch_norm_passes {
    std::vector<double> y, mean, variance;  // forward
    std::vector<double> dx, d_gamma, d_beta;  // backward of dy
};

inline batch_norm_passes batch_norm(const feature_rows& m, const std::vector<float>& x, const std::vector<float>& dy,
                                    const batch_norm_weights& w) {
    const std::size_t rows = m.rows, features = m.features;
    batch_norm_passes r{std::vector<double>(x.size()), std::vector<double>(features, 0.0), std::vector<double>(features, 0.0),
                        std::vector<double>(x.size()), std::vector<double>(features, 0.0), std::vector<double>(features, 0.0)};
    for (std::size_t f = 0; f < features; ++f) {
        for (std::size_t i = 0; i < rows; ++i) r.mean[f] += x[i * features + f] / double(rows);
        for (std::size_t i = 0; i < rows; ++i) r.variance[f] += std::pow(x[i * features + f] - r.mean[f], 2) / double(rows);
        const double inv_std = 1.0 / std::sqrt(r.variance[f] + w.epsilon);
        const auto x_hat = [&](std::size_t i) { return (x[i * features + f] - r.mean[f]) * inv_std; };
        for (std::size_t i = 0; i < rows; ++i) {
            r.y[i * features + f] = w.gamma[f] * x_hat(i) + w.beta[f];
            r.d_beta[f] += dy[i * features + f];
            r.d_gamma[f] += dy[i * features + f] * x_hat(i);
        }
        for (std::size_t i = 0; i < rows; ++i)
            r.dx[i * features + f] = w.gamma[f] * inv_std * (dy[i * features + f] - (r.d_beta[f] + x_hat(i) * r.d_gamma[f]) / double(rows));
    }
    return r;
}

}  // namespace stag::kernels::reference
