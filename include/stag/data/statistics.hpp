#pragma once
// Per-split pixel statistics, and the check the homework lacked: do all splits look like they went
// through the same pre-processing? (Its test split did not, and its test scores were ruined.)
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "stag/data/dataset.hpp"

namespace stag::data {

struct pixel_statistics {
    double mean = 0.0, stddev = 0.0, min = 0.0, max = 0.0;
};

inline pixel_statistics statistics(const dataset& d) {
    pixel_statistics s;
    if (d.images.empty()) return s;
    double sum = 0.0, sum_sq = 0.0;
    float lo = d.images.front(), hi = lo;
    for (float v : d.images) {
        sum += v;
        sum_sq += double(v) * v;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    const double n = static_cast<double>(d.images.size());
    s.mean = sum / n;
    s.stddev = std::sqrt(std::max(0.0, sum_sq / n - s.mean * s.mean));
    s.min = lo;
    s.max = hi;
    return s;
}

// The largest gap between two splits' cumulative distributions of pixel values (Kolmogorov–Smirnov
// distance, on 256 bins spanning [lo, hi]): 0 for the same distribution, 1 for disjoint ones.
inline double distribution_distance(const dataset& a, const dataset& b, double lo, double hi) {
    constexpr std::size_t bins = 256;
    const auto cumulative = [&](const dataset& d) {
        std::vector<double> c(bins, 0.0);
        const double scale = hi > lo ? double(bins) / (hi - lo) : 0.0;
        for (float v : d.images) c[std::min<std::size_t>(bins - 1, std::size_t(std::max(0.0, (double(v) - lo) * scale)))] += 1.0;
        for (std::size_t i = 1; i < bins; ++i) c[i] += c[i - 1];
        for (double& v : c) v /= std::max(1.0, c.back());
        return c;
    };
    const std::vector<double> ca = cumulative(a), cb = cumulative(b);
    double gap = 0.0;
    for (std::size_t i = 0; i < bins; ++i) gap = std::max(gap, std::abs(ca[i] - cb[i]));
    return gap;
}

// Splits drawn from one distribution and pre-processed alike stay far below this distance (Fashion-MNIST's
// splits: under 0.01); a test split brightened, windowed or rescaled differently lands far above it.
inline constexpr double shift_distance_threshold = 0.1;

// Warnings for every split whose statistics disagree with the training split's beyond what sampling
// explains: a shifted mean (more than half a training std away), a different spread (std ratio beyond
// 1.5×), a different range (max ratio beyond 1.5×, as a [0,255] split against a [0,1] one), or a different
// distribution of values (distribution_distance above shift_distance_threshold).
inline std::vector<std::string> split_shift_warnings(const splits& s) {
    std::vector<std::string> warnings;
    const pixel_statistics ref = statistics(s.train);
    const auto ratio_off = [](double a, double b) {
        const double lo = std::min(a, b), hi = std::max(a, b);
        return hi > 0.0 && (lo <= 0.0 || hi / lo > 1.5);
    };
    for (const dataset* other : {&s.validation, &s.test}) {
        if (other->size() == 0) continue;
        const pixel_statistics st = statistics(*other);
        std::string why;
        if (std::abs(st.mean - ref.mean) > 0.5 * std::max(ref.stddev, 1e-6)) why += " mean";
        if (ratio_off(st.stddev, ref.stddev)) why += " spread";
        if (ratio_off(st.max - st.min, ref.max - ref.min)) why += " range";
        const double distance = distribution_distance(s.train, *other, ref.min, ref.max);
        if (distance > shift_distance_threshold) why += " distribution";
        if (why.empty()) continue;
        char line[480];
        std::snprintf(line, sizeof line,
                      "split shift: %s differs from %s in%s (mean %.4g vs %.4g, std %.4g vs %.4g, range [%.4g, %.4g] vs "
                      "[%.4g, %.4g], distribution distance %.3f); were the splits pre-processed the same way?",
                      other->name.c_str(), s.train.name.c_str(), why.c_str(), st.mean, ref.mean, st.stddev, ref.stddev,
                      st.min, st.max, ref.min, ref.max, distance);
        warnings.emplace_back(line);
    }
    return warnings;
}

}  // namespace stag::data
