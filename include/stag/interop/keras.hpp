#pragma once
// Keras 2 HDF5 weights into a network (docs/interop.md); link stag::interop. Reads both layouts Keras writes:
// model.save_weights (layer groups at the root) and model.save (under model_weights/, with the model's
// config), exactly as Keras' own loader does: the root's layer_names attribute, each layer group's
// weight_names, each weight the dataset that name points to. Keras stores tensors in stag's layouts (NHWC
// maps, HWIO conv kernels, dense kernels inputs × units), so values are copied as they are.
//
// The layers with weights are matched in order against the network's (dense, conv2d, batch_norm), weight by
// weight and shape by shape; where the file holds the model's config (model.save), every layer is checked
// against the network's entries, weightless ones included (activations, pooling, dropout rates, strides,
// padding, batch-norm axis, momentum and epsilon, L2 factors). The first disagreement is one file_error
// naming the Keras layer and stag's entry. A refused file changes no weight.
#include <string>

#include "stag/graph/description.hpp"

namespace stag {

void load_keras_h5(const network_view& net, const std::string& path);

template <class... Specs>
void load_keras_h5(network<Specs...>& net, const std::string& path) {
    load_keras_h5(view_of(net), path);
}
template <class Model>
    requires requires(Model& m) { view_of(m.network()); }
void load_keras_h5(Model& m, const std::string& path) {
    load_keras_h5(m.network(), path);
}

}  // namespace stag
