#pragma once
// xtensor at the API boundary: fit, predict and evaluate take images as an (N, H, W, C) xtensor expression,
// predict returns an (N, classes) xt::xtensor, and every weight tensor is an xtensor view over the memory
// the training step uses (reading and writing it copies nothing). The kernels never see xtensor; a project
// that includes this header links xtensor (libxtensor-dev) as well as stag::stag.
#include <array>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>
#include <xtensor/xadapt.hpp>
#include <xtensor/xarray.hpp>
#include <xtensor/xtensor.hpp>

#include "stag/core/error.hpp"
#include "stag/graph/model.hpp"

namespace stag {

namespace detail {

// The expression as contiguous row-major floats: float containers (and adaptors) are used in place, anything
// else (views, other value types, lazy expressions) is evaluated once.
template <class E>
decltype(auto) contiguous_floats(const xt::xexpression<E>& expression) {
    const E& e = expression.derived_cast();
    if constexpr (std::is_base_of_v<xt::xcontainer<E>, E> && std::is_same_v<typename E::value_type, float> &&
                  E::static_layout == xt::layout_type::row_major)
        return (e);
    else
        return xt::xarray<float>(xt::cast<float>(e));
}

template <class Net, class Shape>
std::size_t checked_sample_count(const Shape& dims, const char* what) {
    constexpr shape in = Net::input_shape;
    if (dims.size() != 4 || dims[1] != in.h || dims[2] != in.w || dims[3] != in.c) {
        std::string given;
        for (std::size_t i = 0; i < dims.size(); ++i) given += (i ? ", " : "") + std::to_string(dims[i]);
        throw error(std::string(what) + ": images of shape (" + given + "), the network takes (N, " + std::to_string(in.h) + ", " +
                    std::to_string(in.w) + ", " + std::to_string(in.c) + ")");
    }
    return dims[0];
}

}  // namespace detail

// Class probabilities, one row per image of an (N, H, W, C) expression.
template <class Net, class Optimizer, class Loss, class E>
xt::xtensor<float, 2> predict(model<Net, Optimizer, Loss>& m, const xt::xexpression<E>& images) {
    const auto& x = detail::contiguous_floats(images);
    const std::size_t n = detail::checked_sample_count<Net>(x.shape(), "predict");
    xt::xtensor<float, 2> probabilities = xt::empty<float>(std::array<std::size_t, 2>{n, Net::output_shape.c});
    m.predict(x.data(), n, probabilities.data());
    return probabilities;
}

// Loss and accuracy of (N, H, W, C) images against N labels (0 .. classes−1), as model::evaluate.
template <class Net, class Optimizer, class Loss, class E>
metrics evaluate(model<Net, Optimizer, Loss>& m, const xt::xexpression<E>& images, const xt::xtensor<std::uint8_t, 1>& labels,
                 mode phase = mode::inference) {
    const auto& x = detail::contiguous_floats(images);
    const std::size_t n = detail::checked_sample_count<Net>(x.shape(), "evaluate");
    if (labels.size() != n) throw error("evaluate: " + std::to_string(n) + " images but " + std::to_string(labels.size()) + " labels");
    return m.evaluate({x.data(), labels.data(), n, Net::input_shape, Net::output_shape.c}, phase);
}

namespace detail {
// The tensor in its Keras shape (a vector when it has none).
inline auto shaped_view(const parameter_ref& t) {
    return xt::adapt(t.value, t.size, xt::no_ownership(), t.dims.empty() ? std::vector<std::size_t>{t.size} : t.dims);
}
}  // namespace detail

// Trains on (N, H, W, C) images and N labels, as model::fit without a validation split.
template <class Net, class Optimizer, class Loss, class E>
history fit(model<Net, Optimizer, Loss>& m, const xt::xexpression<E>& images, const xt::xtensor<std::uint8_t, 1>& labels,
            const fit_options& options) {
    const auto& x = detail::contiguous_floats(images);
    const std::size_t n = detail::checked_sample_count<Net>(x.shape(), "fit");
    if (labels.size() != n) throw error("fit: " + std::to_string(n) + " images but " + std::to_string(labels.size()) + " labels");
    return m.fit({x.data(), labels.data(), n, Net::input_shape, Net::output_shape.c}, nullptr, options);
}

// One named tensor of the network (weights, biases, batch norm's statistics) as a view over its storage.
struct tensor_view {
    std::string name;  // "<layer index>:<layer>/<tensor>", as in the weight files
    decltype(detail::shaped_view(std::declval<parameter_ref>())) values;  // e.g. (3, 3, 32, 64) for a conv kernel
};

// Every tensor of the network in weight-file order; writing through a view changes the model.
template <class Net, class Optimizer, class Loss>
std::vector<tensor_view> tensor_views(model<Net, Optimizer, Loss>& m) {
    std::vector<tensor_view> views;
    for (const parameter_ref& t : m.network().all_tensors())
        views.push_back({t.name, detail::shaped_view(t)});
    return views;
}

}  // namespace stag
