#pragma once
// A variant as the drivers see it: its name and homework settings, and entry points into the code
// compiled for its network type (for 10 classes, Fashion-MNIST, and 4, the X-ray letters). Each variant
// is compiled once, in its own translation unit (models/CMakeLists.txt), and linked into its own binary
// and into hw4.
#include <functional>
#include <string>
#include <vector>

#include "report.hpp"
#include "stag/graph/description.hpp"

namespace stag::driver {

// The compile-time facts of one instantiation, as values.
struct network_description {
    std::string signature, summary;
    shape input;
    std::size_t classes = 0, parameters = 0, trainable = 0, multiply_adds = 0;
    std::vector<entry_description> layers;
};

struct run_hooks {
    std::function<void(const batch_progress&)> on_batch;
    std::function<void(const epoch_record&)> on_epoch_end;
    replica_group* replicas = nullptr;  // this run is one rank of a data-parallel job
    std::function<bool()> stop_requested;  // fit_options::stop_requested (on every rank or none)
};

struct prediction {
    std::string file;
    std::size_t label = 0;
    std::vector<float> probabilities;
};

struct variant {
    variant_defaults defaults;
    std::string title;  // one line for reports: what the network is
    shape input;        // the declared input, the same for every class count
    network_description (*describe)(const std::string& name, std::size_t classes);  // name: the summary's title
    // Trains on the loaded splits and evaluates; the report is not written yet. Called with `defaults`
    // (variants that share a network type share these functions).
    run_report (*train)(const variant_defaults& defaults, const run_options& options, const loaded_data& data, const run_hooks& hooks);
    // Evaluates options.evaluate_weights on the test split.
    run_report (*evaluate)(const variant_defaults& defaults, const run_options& options, const loaded_data& data);
    // The class count of the instantiation that wrote a weights file; refuses another network's file.
    std::size_t (*weights_classes)(const std::string& path);
    // Classifies options.predict_files with options.predict_weights; the class count is the one the weights were trained for.
    std::vector<prediction> (*predict)(const run_options& options);
    // Writes options.initial_weights as options.export_onnx and/or options.export_weights, training nothing.
    void (*convert)(const run_options& options);
    // The probabilities the network gives `count` images (count × input floats, as the loaders give them),
    // with the weights of a file of any format.
    std::vector<float> (*predict_images)(const std::string& weights, const float* images, std::size_t count);
};

// Class names for a class count: Fashion-MNIST's ten or the X-ray letters.
const std::vector<std::string>& class_names_for(std::size_t classes);

// Every compiled variant, and one by name (an error if there is none): linked from stag_variant_table
// with the variants' object libraries (models/CMakeLists.txt).
const std::vector<const variant*>& all_variants();
const variant& variant_named(const std::string& name);

// main() of a variant binary.
int variant_main(const variant& v, int argc, char** argv);

}  // namespace stag::driver
