#include "study.hpp"

#include <stdexcept>

namespace stag::hw4 {

const std::vector<experiment>& experiments() {
    static const std::vector<experiment> list = [] {
        std::vector<experiment> l;
        const auto add = [&](experiment e) { l.push_back(std::move(e)); };
        // Part 1: the fully connected networks (models/part1.hpp).
        add({.name = "model_relu", .variant = "model_relu", .part = section::part1, .change = "ReLU, batch 64 (the homework's model_relu)"});
        add({.name = "model_relu_b32", .variant = "model_relu_b32", .part = section::part1, .change = "ReLU, batch 32"});
        add({.name = "new_a_model", .variant = "new_a_model", .part = section::part1, .change = "LeakyReLU α = 0.1"});
        add({.name = "new_a_model_40", .variant = "new_a_model_40", .part = section::part1, .change = "LeakyReLU α = 0.1, 40 epochs"});
        add({.name = "new_a_model_tanh", .variant = "new_a_model_tanh", .part = section::part1, .change = "tanh"});
        add({.name = "new_a_model_sigmoid", .variant = "new_a_model_sigmoid", .part = section::part1, .change = "sigmoid"});
        add({.name = "new_a_model_bn", .variant = "new_a_model_bn", .part = section::part1, .change = "LeakyReLU + batch norm, batch 32, 50 epochs"});
        add({.name = "model_relu_split_shift", .variant = "model_relu", .part = section::part1,
             .change = "model_relu's weights on a test split from another export", .shifted_test = true, .weights_of = "model_relu"});
        // Part 2 and the failure study: cnn_half with one change at a time (models/part2.hpp).
        add({.name = "cnn_half", .variant = "cnn_half", .part = section::part2, .change = "homework settings: L2 1e-2, dropout → batch norm, Adam lr 1e-5, decay 1e-3"});
        add({.name = "cnn_half_split_shift", .variant = "cnn_half", .part = section::failure,
             .change = "cnn_half's weights on a test split from another export", .shifted_test = true, .weights_of = "cnn_half"});
        add({.name = "cnn_half_no_l2", .variant = "cnn_half_no_l2", .part = section::failure, .change = "without the L2 kernel penalty"});
        add({.name = "cnn_half_lr1e-3", .variant = "cnn_half", .part = section::failure, .change = "Adam lr 1e-3 without decay",
             .learning_rate = 1e-3, .decay = 0.0});
        add({.name = "cnn_half_bn_first", .variant = "cnn_half_bn_first", .part = section::failure, .change = "batch norm before dropout"});
        add({.name = "cnn_half_bn_m09", .variant = "cnn_half_bn_m09", .part = section::failure, .change = "batch-norm momentum 0.9"});
        add({.name = "cnn_half_bn_rows", .variant = "cnn_half_bn_rows", .part = section::failure, .change = "the homework's BatchNormalization(axis=1): image rows"});
        add({.name = "cnn_half_homework", .variant = "cnn_half_bn_rows", .part = section::failure,
             .change = "the homework as it ran: batch norm over rows, test split from another export", .shifted_test = true,
             .weights_of = "cnn_half_bn_rows"});
        // The seed's closing advice: a larger input.
        add({.name = "model_relu_64", .variant = "model_relu_64", .part = section::input_size, .change = "model_relu on 64×64 inputs"});
        add({.name = "cnn_half_64", .variant = "cnn_half_64", .part = section::input_size, .change = "cnn_half on 64×64 inputs"});
        // The full-width CNN last: the longest run.
        add({.name = "cnn", .variant = "cnn", .part = section::part2, .change = "homework settings, full width"});
        return l;
    }();
    return list;
}

const experiment* find_experiment(const std::string& name) {
    for (const experiment& e : experiments())
        if (e.name == name) return &e;
    return nullptr;
}

namespace {
bool convolutional(const experiment& e) { return e.variant.rfind("cnn", 0) == 0; }

driver::run_options homework_settings(const experiment& e, const driver::variant_defaults& homework) {
    driver::run_options o = driver::defaults_of(homework);
    if (e.learning_rate) o.learning_rate = *e.learning_rate;
    if (e.decay) o.decay = *e.decay;
    return o;
}

driver::run_options full(const experiment& e, const driver::variant_defaults& homework) { return homework_settings(e, homework); }

// A fifth of the epochs on 10,000 images for the dense nets; 3 epochs on 4,000 images for the CNNs.
driver::run_options quick(const experiment& e, const driver::variant_defaults& homework) {
    driver::run_options o = homework_settings(e, homework);
    if (convolutional(e)) {
        o.epochs = 3;
        o.limit = 4000;
        o.limit_validation = 1000;
    } else {
        o.epochs = (o.epochs + 4) / 5;
        o.limit = 10000;
        o.limit_validation = 2000;
    }
    o.limit_test = 2000;
    return o;
}
}  // namespace

const profile& profile_named(const std::string& name) {
    static const profile profiles[] = {
        {"quick", "a subset with fewer epochs: dense nets 1/5 of the epochs on 10,000 training images, CNNs 3 epochs on 4,000; "
                  "2,000 test images", quick},
        {"full", "the homework's settings on the whole split (55,000 / 5,000 / 10,000)", full}};
    for (const profile& p : profiles)
        if (p.name == name) return p;
    throw std::invalid_argument("unknown profile '" + name + "' (quick or full)");
}

}  // namespace stag::hw4
