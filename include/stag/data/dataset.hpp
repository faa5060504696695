#pragma once
// In-memory labelled image sets: NHWC float images in [0, 1] and one byte label per image.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "stag/core/dataset_view.hpp"
#include "stag/core/shape.hpp"

namespace stag::data {

struct dataset {
    std::string name;                      // e.g. "fashion-mnist/train"
    shape sample{};
    std::vector<std::string> class_names;  // index = label
    std::vector<float> images;             // size() × sample.size()
    std::vector<std::uint8_t> labels;
    std::string note;                      // what the loader skipped, if anything

    std::size_t size() const { return labels.size(); }
    std::size_t classes() const { return class_names.size(); }
    dataset_view view() const { return {images.data(), labels.data(), size(), sample, classes()}; }

    // Samples [first, first + count) as a new set.
    dataset slice(std::size_t first, std::size_t count, std::string slice_name) const {
        dataset d{std::move(slice_name), sample, class_names, {}, {}, {}};
        d.images.assign(images.begin() + first * sample.size(), images.begin() + (first + count) * sample.size());
        d.labels.assign(labels.begin() + first, labels.begin() + first + count);
        return d;
    }

    // The first n samples (all if n is 0 or larger than the set).
    void truncate(std::size_t n) {
        if (n == 0 || n >= size()) return;
        labels.resize(n);
        images.resize(n * sample.size());
    }
};

struct splits {
    dataset train, validation, test;
};

}  // namespace stag::data
