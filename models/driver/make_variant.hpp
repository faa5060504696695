#pragma once
// make_variant<Net>: the entry points of a variant, instantiated for its network at 10 and 4 classes.
// Included only by the generated per-variant translation units.
#include <fmt/core.h>

#include <chrono>
#include <filesystem>

#include "replicas.hpp"
#include "variant.hpp"
#include "stag/data/xray.hpp"
#include "stag/graph/summary.hpp"
#include "stag/interop/weights.hpp"

namespace stag::driver {

namespace detail {

template <class Net>
network_description describe(const std::string& name) {
    return {Net::signature(), summary<Net>(name), Net::input_shape, Net::output_shape.c, Net::parameter_count, Net::trainable_count,
            Net::multiply_adds, entries_of<Net>()};
}

template <class Net>
run_report new_report(const variant_defaults& defaults, const run_options& o, const loaded_data& data, run_kind kind) {
    run_report r;
    r.variant = defaults.name;
    r.kind = kind;
    r.network_signature = Net::signature();
    r.parameters = Net::parameter_count;
    r.trainable_parameters = Net::trainable_count;
    r.multiply_adds = Net::multiply_adds;
    r.threads = effective_threads(o);
    r.options = o;
    r.splits = data.summaries;
    r.warnings = data.warnings;
    r.notes = data.notes;
    r.class_names = data.splits.test.class_names;
    return r;
}

// Test metrics in both modes, with the confusion matrix of the inference-mode pass (shared among the
// replicas, if any).
template <class Net>
void evaluate_test(model<Net>& m, const loaded_data& data, run_report& r, replica_group* replicas = nullptr) {
    r.test = m.evaluate(data.splits.test.view(), mode::inference, &r.test_confusion, replicas);
    r.test_training_mode = m.evaluate(data.splits.test.view(), mode::train);
}

// The exports a run asks for (--export-onnx, --export-weights).
template <class Net>
void export_weights(model<Net>& m, const run_options& o) {
    if (!o.export_onnx.empty()) save_onnx(m, o.export_onnx);
    if (!o.export_weights.empty()) m.save(o.export_weights);
}

template <class Net>
void convert(const run_options& o) {
    model<Net> m(1);
    load_weights_file(m, o.initial_weights);
    export_weights(m, o);
}

template <class Net>
std::vector<float> predict_images(const std::string& weights, const float* images, std::size_t count) {
    model<Net> m(256);
    load_weights_file(m, weights);
    std::vector<float> probabilities(count * Net::output_shape.c);
    m.predict(images, count, probabilities.data());
    return probabilities;
}

template <class Net>
run_report train(const variant_defaults& defaults, const run_options& o, const loaded_data& data, const run_hooks& hooks) {
    adam optimizer;
    optimizer.learning_rate = static_cast<float>(o.learning_rate);
    optimizer.decay = static_cast<float>(o.decay);
    model<Net> m(o.batch_size, optimizer, o.seed);
    if (!o.initial_weights.empty()) load_weights_file(m, o.initial_weights);
    run_report r = new_report<Net>(defaults, o, data, run_kind::train);
    r.weights_file = o.out + "/" + defaults.name + ".weights";
    if (o.keep_best) r.best_weights_file = o.out + "/" + defaults.name + ".best.weights";

    fit_options fit;
    fit.epochs = o.epochs;
    fit.batch_size = o.batch_size;
    fit.seed = o.seed;
    fit.on_batch = hooks.on_batch;
    fit.on_epoch_end = hooks.on_epoch_end;
    fit.monitored = o.monitored;
    fit.early_stopping_patience = o.early_stopping;
    fit.best_weights_path = r.best_weights_file;
    fit.check_numerics = o.check_numerics;
    fit.checkpoint_every = o.checkpoint_every;
    fit.resume = o.resume;
    fit.checkpoint_path = o.out + "/" + defaults.name + ".checkpoint";
    fit.run_key = resume_key(o, Net::signature(), data);
    fit.replicas = hooks.replicas;
    fit.stop_requested = hooks.stop_requested;
    if (hooks.replicas) check_same_run(*hooks.replicas, Net::signature(), fit.run_key, data);
    const auto validation = data.splits.validation.view();
    const auto start = std::chrono::steady_clock::now();
    r.fit_history = m.fit(data.splits.train.view(), &validation, fit);
    r.fit_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (hooks.replicas) {
        r.ranks = hooks.replicas->size();
        r.rank_timings = gather_timings(*hooks.replicas, r.fit_seconds);
    }
    evaluate_test(m, data, r, hooks.replicas);
    r.train_inference_mode = m.evaluate(data.splits.train.view(), mode::inference, nullptr, hooks.replicas);
    if (!hooks.replicas || hooks.replicas->rank() == 0) {
        std::filesystem::remove(report_path(o, defaults.name, run_kind::train));  // it describes the weights about to be replaced
        m.save(r.weights_file);
        const std::vector<unsigned char> saved = stag::detail::read_bytes(r.weights_file, "weights");
        r.weights_crc32 = stag::detail::crc32_of(saved.data(), saved.size());
        export_weights(m, o);
    }
    return r;
}

template <class Net>
run_report evaluate(const variant_defaults& defaults, const run_options& o, const loaded_data& data) {
    model<Net> m(std::max<std::size_t>(o.batch_size, 1));
    load_weights_file(m, o.evaluate_weights);
    run_report r = new_report<Net>(defaults, o, data, run_kind::evaluate);
    r.weights_file = o.evaluate_weights;
    evaluate_test(m, data, r);
    return r;
}

template <class Net>
std::vector<prediction> predict(const run_options& o) {
    constexpr shape in = Net::input_shape;
    constexpr std::size_t classes = Net::output_shape.c;
    model<Net> m(std::max<std::size_t>(o.batch_size, 1));
    load_weights_file(m, o.predict_weights);
    std::vector<float> images(o.predict_files.size() * in.size()), probabilities(o.predict_files.size() * classes);
    for (std::size_t i = 0; i < o.predict_files.size(); ++i) {
        // As the X-ray loader reads a file: grey, resampled to the input, scaled by 1/255.
        const data::grey_image g = data::read_png_grey(o.predict_files[i]);
        float* out = images.data() + i * in.size();
        data::resize_into(g.pixels.data(), g.height, g.width, out, in.h, in.w);
        for (float* v = out; v != out + in.size(); ++v) *v = std::clamp(*v, 0.0f, 255.0f) / 255.0f;
    }
    m.predict(images.data(), o.predict_files.size(), probabilities.data());
    std::vector<prediction> result;
    for (std::size_t i = 0; i < o.predict_files.size(); ++i) {
        const float* p = probabilities.data() + i * classes;
        result.push_back({o.predict_files[i], static_cast<std::size_t>(std::max_element(p, p + classes) - p), {p, p + classes}});
    }
    return result;
}

}  // namespace detail

inline error unsupported_classes(std::size_t classes) {
    return error("data has " + std::to_string(classes) + " classes; the variants are built for 10 (Fashion-MNIST) or 4 (X-ray)");
}

// Which instantiation a weights file is for: stag's own files say it in their signature; for ONNX and Keras
// files the output count decides (10 unless it is 4), and loading gives the precise refusal.
template <template <std::size_t> class Net>
std::size_t weights_classes_of(const std::string& path) {
    if (weights_format_of(path) != weights_format::stag) return outputs_in(path) == std::optional<std::size_t>{4} ? 4 : 10;
    const std::string stored = read_weights_signature(path);
    if (stored == Net<10>::signature()) return 10;
    if (stored == Net<4>::signature()) return 4;
    throw file_error(path, "weights belong to another network:\n  file:    " + stored + "\n  network: " + Net<10>::signature() +
                               "\n  (or the same with 4 classes)");
}

// Net<Classes> is the variant's network for a class count.
template <template <std::size_t> class Net>
variant make_variant(const variant_defaults& defaults, const std::string& title) {
    variant v;
    v.defaults = defaults;
    v.title = title;
    v.input = Net<10>::input_shape;
    v.describe = [](const std::string& name, std::size_t classes) {
        if (classes == 10) return detail::describe<Net<10>>(name);
        if (classes == 4) return detail::describe<Net<4>>(name);
        throw unsupported_classes(classes);
    };
    v.train = [](const variant_defaults& d, const run_options& o, const loaded_data& data, const run_hooks& hooks) {
        if (data.splits.train.classes() == 10) return detail::train<Net<10>>(d, o, data, hooks);
        if (data.splits.train.classes() == 4) return detail::train<Net<4>>(d, o, data, hooks);
        throw unsupported_classes(data.splits.train.classes());
    };
    v.evaluate = [](const variant_defaults& d, const run_options& o, const loaded_data& data) {
        if (data.splits.test.classes() == 10) return detail::evaluate<Net<10>>(d, o, data);
        if (data.splits.test.classes() == 4) return detail::evaluate<Net<4>>(d, o, data);
        throw unsupported_classes(data.splits.test.classes());
    };
    v.weights_classes = weights_classes_of<Net>;
    v.predict = [](const run_options& o) {
        return weights_classes_of<Net>(o.predict_weights) == 10 ? detail::predict<Net<10>>(o) : detail::predict<Net<4>>(o);
    };
    v.convert = [](const run_options& o) {
        return weights_classes_of<Net>(o.initial_weights) == 10 ? detail::convert<Net<10>>(o) : detail::convert<Net<4>>(o);
    };
    v.predict_images = [](const std::string& weights, const float* images, std::size_t count) {
        return weights_classes_of<Net>(weights) == 10 ? detail::predict_images<Net<10>>(weights, images, count)
                                                      : detail::predict_images<Net<4>>(weights, images, count);
    };
    return v;
}

}  // namespace stag::driver
