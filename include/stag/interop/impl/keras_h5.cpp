// load_keras_h5: Keras 2 HDF5 files (model.save and model.save_weights), read the way Keras' own
// load_weights_from_hdf5_group reads them, matched against a network's entries.
#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "stag/interop/keras.hpp"
#include "stag/interop/impl/hdf5_file.hpp"

namespace stag {

namespace {

using hdf5::handle;
using json = nlohmann::json;

// Which of an entry's tensors a Keras weight is, by the last part of its name ("dense_1/kernel:0").
std::optional<std::size_t> tensor_slot(layer_kind kind, const std::string& weight_name) {
    std::string leaf = weight_name.substr(weight_name.rfind('/') + 1);
    leaf = leaf.substr(0, leaf.find(':'));
    const auto slot = [&](std::initializer_list<const char*> names) -> std::optional<std::size_t> {
        std::size_t i = 0;
        for (const char* n : names) {
            if (leaf == n) return i;
            ++i;
        }
        return std::nullopt;
    };
    if (kind == layer_kind::batch_norm) return slot({"gamma", "beta", "moving_mean", "moving_variance"});
    return slot({"kernel", "bias"});
}

std::string ordinal(std::size_t n) {
    const char* suffix = (n % 100 >= 11 && n % 100 <= 13) ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
    return std::to_string(n) + suffix;
}

std::string dims_text(const std::vector<std::size_t>& dims) {
    std::string s;
    for (std::size_t i = 0; i < dims.size(); ++i) s += (i ? "×" : "") + std::to_string(dims[i]);
    return s.empty() ? "scalar" : s;
}

// The weights: each layer with weights, in the file's order, against the network's entries with tensors.
std::vector<std::vector<float>> read_weights(const network_view& net, const hdf5::file& f, hid_t root) {
    const std::vector<std::string> layer_names = f.text_attribute(root, "layer_names", true);
    if (layer_names.empty()) f.fail("not a Keras weights file: it has no layer_names attribute");
    std::vector<std::size_t> weighted;  // entries with tensors
    for (std::size_t i = 0; i < net.entries.size(); ++i)
        if (net.entries[i].tensors) weighted.push_back(i);
    std::vector<std::vector<float>> staged(net.tensors->size());
    std::size_t matched = 0;
    for (const std::string& layer : layer_names) {
        const handle group = f.open_group(root, layer);
        const std::vector<std::string> weight_names = f.text_attribute(group.id, "weight_names", true);
        if (weight_names.empty()) continue;
        const std::string which = "layer '" + layer + "' (the " + ordinal(matched + 1) + " layer with weights)";
        if (matched == weighted.size())
            f.fail(which + " has no counterpart: stag's network has " + std::to_string(weighted.size()) + " layers with weights");
        const std::size_t i = weighted[matched++];
        const entry_description& e = net.entries[i];
        const std::string label = net.label(i);
        std::vector<bool> given(e.tensors, false);
        for (const std::string& w : weight_names) {
            const std::optional<std::size_t> slot = tensor_slot(e.facts.kind, w);
            if (!slot || *slot >= e.tensors)
                f.fail(which + " holds '" + w + "' where stag's " + label + " has " + [&] {
                    std::string names;
                    for (std::size_t k = 0; k < e.tensors; ++k) {
                        const std::string& n = (*net.tensors)[e.first_tensor + k].name;
                        names += (k ? ", " : "") + n.substr(n.rfind('/') + 1);
                    }
                    return names;
                }());
            const parameter_ref& t = (*net.tensors)[e.first_tensor + *slot];
            const std::vector<std::size_t> want = t.dims.empty() ? std::vector<std::size_t>{t.size} : t.dims;
            const handle data = f.open_dataset(group.id, w, which);
            const std::vector<std::size_t> dims = f.dataset_dims(data.id, w);
            if (dims != want) f.fail(which + " holds " + w + " of " + dims_text(dims) + " where stag's " + label + " expects " + dims_text(want));
            staged[e.first_tensor + *slot] = f.read_floats(data.id, w, t.size);
            given[*slot] = true;
        }
        // What Keras leaves out with use_bias=False, center=False or scale=False is what it would have held.
        for (std::size_t k = 0; k < e.tensors; ++k)
            if (!given[k]) {
                const parameter_ref& t = (*net.tensors)[e.first_tensor + k];
                const std::string leaf = t.name.substr(t.name.rfind('/') + 1);
                if (leaf == "moving_mean" || leaf == "moving_variance" || leaf == "kernel")
                    f.fail(which + " lacks " + leaf + ", which stag's " + label + " needs");
                staged[e.first_tensor + k].assign(t.size, leaf == "gamma" ? 1.0f : 0.0f);
            }
    }
    if (matched < weighted.size())
        f.fail("the file has " + std::to_string(matched) + " layers with weights where stag's network has " + std::to_string(weighted.size()) +
               " (the first without a counterpart: " + net.label(weighted[matched]) + ")");
    return staged;
}

// The model's config (model.save files) against every entry of the network.
class config_checker {
public:
    config_checker(const network_view& net, const hdf5::file& f) : net_(net), f_(f) {}

    void check(const json& model) {
        if (!model.is_object() || !model.contains("config")) f_.fail("model_config is not a Keras model's config");
        const json& config = model["config"];
        const json& layers = config.is_array() ? config : config.value("layers", json::array());
        if (!layers.is_array() || layers.empty()) f_.fail("model_config lists no layers");
        for (const json& layer : layers) {
            if (!layer.is_object() || !layer.contains("class_name") || !layer["class_name"].is_string())
                f_.fail("model_config holds a layer without a class_name");
            check_chain(layer);
            layer_ = layer;
            check_layer(layer["class_name"].get<std::string>(), layer.value("config", json::object()));
        }
        if (entry_ < net_.entries.size())
            f_.fail("the model ends after layer '" + name() + "' where stag's " + net_.label(entry_) + " follows");
    }

private:
    std::string name() const {
        if (layer_.contains("config") && layer_["config"].is_object() && layer_["config"].contains("name") && layer_["config"]["name"].is_string())
            return layer_["config"]["name"].get<std::string>();
        return layer_.value("name", std::string("?"));
    }
    std::string which() const { return "layer '" + name() + "' (" + layer_.value("class_name", std::string("?")) + ")"; }
    [[noreturn]] void mismatch(const std::string& has, const std::string& expects) const {
        f_.fail(which() + ": " + has + " where stag's " + net_.label(entry_) + " expects " + expects);
    }

    // A functional model's layer takes exactly one earlier layer's output.
    void check_chain(const json& layer) const {
        if (!layer.contains("inbound_nodes") || !layer["inbound_nodes"].is_array()) return;
        const json& nodes = layer["inbound_nodes"];
        if (nodes.size() > 1 || (nodes.size() == 1 && nodes[0].is_array() && nodes[0].size() > 1))
            f_.fail("layer '" + layer.value("name", std::string("?")) + "' takes several inputs: stag's networks are chains");
    }

    // The next entry, which must be of `kind`.
    const entry_description& expect(layer_kind kind, const std::string& keras_form) {
        if (entry_ >= net_.entries.size()) f_.fail(which() + " follows the last layer of stag's network");
        const entry_description& e = net_.entries[entry_];
        if (e.facts.kind != kind) f_.fail(which() + " is where stag's " + net_.label(entry_) + " expects " + keras_form);
        return e;
    }
    void next() { ++entry_; }

    static std::vector<std::size_t> pair(const json& v, const std::vector<std::size_t>& fallback) {
        if (v.is_null()) return fallback;
        if (v.is_number_unsigned()) return {v.get<std::size_t>(), v.get<std::size_t>()};
        std::vector<std::size_t> out;
        if (v.is_array())
            for (const json& x : v) out.push_back(x.is_number_unsigned() ? x.get<std::size_t>() : 0);
        return out;
    }
    double number(const json& config, const char* key, double fallback) const {
        if (!config.contains(key) || config[key].is_null()) return fallback;
        if (!config[key].is_number()) f_.fail(which() + ": " + key + " is not a number");
        return config[key].get<double>();
    }
    static bool close(double file, double expected) { return std::abs(file - expected) <= 1e-6 * std::max(std::abs(file), std::abs(expected)); }
    std::string text(double v) const {
        char b[32];
        std::snprintf(b, sizeof b, "%.9g", v);
        return b;
    }
    // A Keras regularizer's L2 factor (0 for none); L1 is refused, stag has none.
    double l2_of(const json& r) const {
        if (r.is_null()) return 0.0;
        const json config = r.value("config", json::object());
        if (number(config, "l1", 0.0) != 0.0) f_.fail(which() + ": an L1 kernel regularizer; stag's regularizer is L2");
        return number(config, "l2", 0.0);
    }

    void activation(const std::string& a, float alpha = 0.0f) {
        if (a == "linear") return;
        if (a == "softmax") {
            expect(layer_kind::softmax, "softmax");
            return next();
        }
        const std::map<std::string, function_kind> known{{"relu", function_kind::relu}, {"sigmoid", function_kind::sigmoid}, {"tanh", function_kind::tanh},
                                                         {"elu", function_kind::elu}, {"leaky_relu", function_kind::leaky_relu}};
        const auto it = known.find(a);
        if (it == known.end()) f_.fail(which() + ": activation '" + a + "' is not one stag has");
        const entry_description& e = expect(layer_kind::activation, "activation " + a);
        const float want_alpha = a == "elu" && alpha == 0.0f ? 1.0f : alpha;
        if (e.facts.function != it->second || (alpha_matters(it->second) && !close(want_alpha, e.facts.alpha)))
            mismatch("activation " + a + (alpha_matters(it->second) ? " of alpha " + text(want_alpha) : ""), e.name);
        next();
    }
    static bool alpha_matters(function_kind k) { return k == function_kind::leaky_relu || k == function_kind::elu; }
    std::string activation_of(const json& config) const {
        const json& a = config.value("activation", json("linear"));
        if (!a.is_string()) f_.fail(which() + ": an activation stag cannot read");
        return a.get<std::string>();
    }

    void input_shape(const json& config) {
        if (!config.contains("batch_input_shape") && !config.contains("batch_shape")) return;
        const json& s = config.contains("batch_input_shape") ? config["batch_input_shape"] : config["batch_shape"];
        const shape in = net_.entries.front().output;
        const std::vector<std::size_t> want = in.flat() ? std::vector<std::size_t>{in.c} : std::vector<std::size_t>{in.h, in.w, in.c};
        std::vector<std::size_t> got;
        if (s.is_array())
            for (std::size_t i = 1; i < s.size(); ++i) got.push_back(s[i].is_number_unsigned() ? s[i].get<std::size_t>() : 0);
        if (got != want) f_.fail(which() + ": input " + dims_text(got) + " where stag's network takes " + dims_text(want) + " (channels last)");
    }

    void check_layer(const std::string& cls, const json& c) {
        input_shape(c);
        if (c.contains("data_format") && c["data_format"] != "channels_last") f_.fail(which() + ": data_format " + c["data_format"].dump() + "; stag's maps are channels_last");
        if (cls == "InputLayer") return;
        if (cls == "Flatten") {
            expect(layer_kind::flatten, "Flatten");
            return next();
        }
        if (cls == "Dense") {
            const entry_description& e = expect(layer_kind::dense, "Dense");
            if (c.value("units", std::size_t{0}) != e.facts.units)
                mismatch(std::to_string(c.value("units", std::size_t{0})) + " units", std::to_string(e.facts.units) + " units");
            if (l2_of(c.value("kernel_regularizer", json())) != 0.0) mismatch("a kernel regularizer", "none (stag's dense has no regularizer)");
            next();
            return activation(activation_of(c));
        }
        if (cls == "Conv2D") {
            const entry_description& e = expect(layer_kind::conv2d, "Conv2D");
            const layer_facts& f = e.facts;
            if (c.value("filters", std::size_t{0}) != f.units) mismatch(std::to_string(c.value("filters", std::size_t{0})) + " filters", std::to_string(f.units) + " filters");
            if (pair(c.value("kernel_size", json()), {}) != std::vector<std::size_t>{f.window_h, f.window_w})
                mismatch("kernel_size " + c.value("kernel_size", json()).dump(), "kernel_size [" + std::to_string(f.window_h) + ", " + std::to_string(f.window_w) + "]");
            if (pair(c.value("strides", json()), {1, 1}) != std::vector<std::size_t>{f.stride_h, f.stride_w})
                mismatch("strides " + c.value("strides", json()).dump(), "strides [" + std::to_string(f.stride_h) + ", " + std::to_string(f.stride_w) + "]");
            if (pair(c.value("dilation_rate", json()), {1, 1}) != std::vector<std::size_t>{1, 1}) mismatch("a dilation", "none");
            if (c.value("groups", 1) != 1) mismatch("groups " + c["groups"].dump(), "groups 1");
            const std::string pad = f.pads == padding::same ? "same" : "valid";
            if (c.value("padding", std::string("valid")) != pad) mismatch("padding '" + c.value("padding", std::string("valid")) + "'", "padding '" + pad + "'");
            if (const double l2 = l2_of(c.value("kernel_regularizer", json())); !close(l2, f.l2) && !(l2 == 0.0 && f.l2 == 0.0))
                mismatch("an L2 factor of " + text(l2), "an L2 factor of " + text(f.l2));
            next();
            return activation(activation_of(c));
        }
        if (cls == "MaxPooling2D" || cls == "AveragePooling2D") {
            const bool max = cls == "MaxPooling2D";
            const entry_description& e = expect(max ? layer_kind::max_pool : layer_kind::average_pool, cls);
            const std::vector<std::size_t> window = pair(c.value("pool_size", json()), {2, 2});
            if (window != std::vector<std::size_t>{e.facts.window_h, e.facts.window_w} ||
                pair(c.value("strides", json()), window) != std::vector<std::size_t>{e.facts.stride_h, e.facts.stride_w})
                mismatch("pool_size " + c.value("pool_size", json()).dump() + ", strides " + c.value("strides", json()).dump(),
                         "a window of " + std::to_string(e.facts.window_h) + "×" + std::to_string(e.facts.window_w) + " at strides " +
                             std::to_string(e.facts.stride_h) + "×" + std::to_string(e.facts.stride_w));
            if (c.value("padding", std::string("valid")) != "valid") mismatch("padding '" + c["padding"].get<std::string>() + "'", "padding 'valid'");
            return next();
        }
        if (cls == "BatchNormalization") {
            const entry_description& e = expect(layer_kind::batch_norm, "BatchNormalization");
            const json& axis_json = c.value("axis", json(-1));
            const json& a = axis_json.is_array() && axis_json.size() == 1 ? axis_json[0] : axis_json;
            if (!a.is_number_integer()) mismatch("axis " + axis_json.dump(), "one axis");
            const bool map = !e.input.flat();
            const long rank = map ? 4 : 2, axis = a.get<long>() < 0 ? a.get<long>() + rank : a.get<long>();
            const norm_axis got = axis == rank - 1 ? norm_axis::channels : axis == 1 ? norm_axis::rows : norm_axis::columns;
            const char* names[3] = {"channels (axis -1)", "image rows (axis 1)", "image columns (axis 2)"};
            if (axis < 1 || axis >= rank || got != e.facts.axis)
                mismatch("axis " + axis_json.dump(), std::string("normalising ") + names[static_cast<int>(e.facts.axis)]);
            if (const double m = number(c, "momentum", 0.99); !close(m, e.facts.momentum)) mismatch("momentum " + text(m), "momentum " + text(e.facts.momentum));
            if (const double eps = number(c, "epsilon", 1e-3); !close(static_cast<float>(eps), e.facts.epsilon))
                mismatch("epsilon " + text(eps), "epsilon " + text(e.facts.epsilon));
            return next();
        }
        if (cls == "Dropout") {
            const entry_description& e = expect(layer_kind::dropout, "Dropout");
            if (const double r = number(c, "rate", 0.0); !close(r, e.facts.rate)) mismatch("rate " + text(r), "rate " + text(e.facts.rate));
            return next();
        }
        if (cls == "Activation") return activation(activation_of(c));
        if (cls == "ReLU") {
            if (!c.value("max_value", json()).is_null() || number(c, "negative_slope", 0.0) != 0.0 || number(c, "threshold", 0.0) != 0.0)
                f_.fail(which() + ": a ReLU with max_value, negative_slope or threshold; stag's relu has none");
            return activation("relu");
        }
        if (cls == "LeakyReLU") return activation("leaky_relu", static_cast<float>(number(c, "alpha", 0.3)));
        if (cls == "ELU") return activation("elu", static_cast<float>(number(c, "alpha", 1.0)));
        if (cls == "Softmax") {
            if (number(c, "axis", -1) != -1) f_.fail(which() + ": a softmax over axis " + c["axis"].dump() + "; stag's is over the last");
            return activation("softmax");
        }
        f_.fail(which() + " is not a layer stag has");
    }

    const network_view& net_;
    const hdf5::file& f_;
    json layer_;
    std::size_t entry_ = 1;  // after input
};

}  // namespace

void load_keras_h5(const network_view& net, const std::string& path) {
    const hdf5::file f(path);
    // model.save puts the weights under model_weights/ and the model's config at the root.
    const bool whole_model = f.has_link(f.root(), "model_weights");
    const handle weights_root = whole_model ? f.open_group(f.root(), "model_weights") : handle{};
    std::vector<std::vector<float>> staged = read_weights(net, f, whole_model ? weights_root.id : f.root());
    const std::vector<std::string> config = f.text_attribute(f.root(), "model_config", false);
    if (!config.empty()) {
        json model;
        try {
            model = json::parse(config.front());
        } catch (const json::exception& e) {
            f.fail(std::string("model_config is not JSON (") + e.what() + ")");
        }
        try {
            config_checker(net, f).check(model);
        } catch (const json::exception& e) {
            f.fail(std::string("model_config is not a Keras model's config (") + e.what() + ")");
        }
    }
    const std::vector<parameter_ref>& tensors = *net.tensors;
    for (std::size_t i = 0; i < tensors.size(); ++i) std::memcpy(tensors[i].value, staged[i].data(), tensors[i].size * sizeof(float));
}

}  // namespace stag
