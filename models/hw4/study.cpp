#include "study.hpp"

#include <stdexcept>

namespace stag::hw4 {

const std::vector<experiment>& experiments() {
    static const std::vector<experiment> list = [] {
        std::vector<experiment> l;
        const auto add = [&](experiment e) { l.push_back(std::move(e)); };
        // Part 1: the fully connected networks (models/part1.hpp).
        add({"model_relu", "model_relu", section::part1, "ReLU, batch 64 (the homework's model_relu)"});
        add({"model_relu_b32", "model_relu_b32", section::part1, "ReLU, batch 32"});
        add({"new_a_model", "new_a_model", section::part1, "LeakyReLU α = 0.1"});
        add({"new_a_model_40", "new_a_model_40", section::part1, "LeakyReLU α = 0.1, 40 epochs"});
        add({"new_a_model_tanh", "new_a_model_tanh", section::part1, "tanh"});
        add({"new_a_model_sigmoid", "new_a_model_sigmoid", section::part1, "sigmoid"});
        add({"new_a_model_bn", "new_a_model_bn", section::part1, "LeakyReLU + batch norm, batch 32, 50 epochs"});
        add({"model_relu_split_shift", "model_relu", section::part1, "model_relu's weights on a test split from another export",
             {}, {}, true, "model_relu"});
        // Part 2 and the failure study: cnn_half with one change at a time (models/part2.hpp).
        add({"cnn_half", "cnn_half", section::part2, "homework settings: L2 1e-2, dropout → batch norm, Adam lr 1e-5, decay 1e-3"});
        add({"cnn_half_split_shift", "cnn_half", section::failure, "cnn_half's weights on a test split from another export",
             {}, {}, true, "cnn_half"});
        add({"cnn_half_no_l2", "cnn_half_no_l2", section::failure, "without the L2 kernel penalty"});
        add({"cnn_half_lr1e-3", "cnn_half", section::failure, "Adam lr 1e-3 without decay", 1e-3, 0.0});
        add({"cnn_half_bn_first", "cnn_half_bn_first", section::failure, "batch norm before dropout"});
        add({"cnn_half_bn_m09", "cnn_half_bn_m09", section::failure, "batch-norm momentum 0.9"});
        add({"cnn_half_bn_rows", "cnn_half_bn_rows", section::failure, "the homework's BatchNormalization(axis=1): image rows"});
        add({"cnn_half_homework", "cnn_half_bn_rows", section::failure,
             "the homework as it ran: batch norm over rows, test split from another export", {}, {}, true, "cnn_half_bn_rows"});
        // The seed's closing advice: a larger input.
        add({"model_relu_64", "model_relu_64", section::input_size, "model_relu on 64×64 inputs"});
        add({"cnn_half_64", "cnn_half_64", section::input_size, "cnn_half on 64×64 inputs"});
        // The full-width CNN last: the longest run.
        add({"cnn", "cnn", section::part2, "homework settings, full width"});
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
