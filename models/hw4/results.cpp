#include "results.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <cmath>
#include <ctime>

#include "questions.hpp"
#include "stag/data/sources.hpp"
#include "stag/data/statistics.hpp"

namespace stag::hw4 {

namespace {

using nlohmann::json;

const char* section_name(section s) {
    switch (s) {
        case section::part1: return "part1";
        case section::part2: return "part2";
        case section::failure: return "failure";
        case section::input_size: return "input_size";
    }
    return "";
}

// The homework's own figures (../shared/seed/HW4-theoretical-questions.txt), on its X-ray patches.
json seed_figures() {
    return {{"source", "HW4-theoretical-questions.txt (the homework's answers, on its 4-class X-ray patches)"},
            {"experiments",
             {{"new_a_model", {{"test_loss", 0.786}, {"test_accuracy", 0.657}}},
              {"new_a_model_40", {{"test_loss", 0.782}, {"test_accuracy", 0.669}}},
              {"new_a_model_bn", {{"test_loss", 0.944}, {"test_accuracy", 0.674}}},
              {"cnn", {{"test_loss", 8.153}, {"test_accuracy", 0.26857}}},
              {"cnn_half", {{"test_loss", 4.97}, {"test_accuracy", 0.25714}}}}}};
}

// The command that reruns an experiment by hand with the variant binary, from inside the study folder.
std::string command_for(const planned_run& r, const study_options& study) {
    const driver::run_options& o = r.options;
    const driver::variant_defaults& d = r.var->defaults;
    const auto in_study = [&](const std::string& path) { return std::filesystem::path(path).lexically_relative(study.out).string(); };
    std::string c = d.name;
    if (!o.evaluate_weights.empty()) c += " --evaluate " + in_study(o.evaluate_weights);
    if (o.data != "fashion-mnist") c += " --data " + (r.exp->shifted_test ? in_study(o.data) : o.data);
    if (o.evaluate_weights.empty()) {
        if (o.epochs != d.epochs) c += fmt::format(" --epochs {}", o.epochs);
        if (o.batch_size != d.batch_size) c += fmt::format(" --batch-size {}", o.batch_size);
        if (o.learning_rate != d.learning_rate) c += fmt::format(" --lr {:g}", o.learning_rate);
        if (o.decay != d.decay) c += fmt::format(" --decay {:g}", o.decay);
        if (o.limit) c += fmt::format(" --limit {}", o.limit);
        if (o.limit_validation) c += fmt::format(" --limit-validation {}", o.limit_validation);
    }
    if (o.limit_test) c += fmt::format(" --limit-test {}", o.limit_test);
    return c + fmt::format(" --seed {}", o.seed);
}

json experiment_entry(const planned_run& r, const json& run, const study_options& study) {
    const bool trained = run.value("kind", "train") == "train";
    json e = {{"variant", r.var->defaults.name},
              {"title", r.var->title},
              {"section", section_name(r.exp->part)},
              {"change", r.exp->change},
              {"input", fmt::format("{}×{}", r.var->input.h, r.var->input.w)},
              {"kind", trained ? "train" : "evaluate"},
              {"command", command_for(r, study)},
              {"parameters", run["parameters"]["total"]},
              {"multiply_adds_per_image", run["multiply_adds_per_image"]},
              {"test", run["test"]},
              {"test_training_mode", run["test_training_mode"]},
              {"data_warnings", run["data_warnings"]},
              {"classes", run["classes"]},
              {"confusion", run["test_confusion"]}};
    e["settings"] = {{"epochs", r.options.epochs},
                     {"batch_size", r.options.batch_size},
                     {"learning_rate", r.options.learning_rate},
                     {"decay", r.options.decay},
                     {"train_images", run["splits"]["train"]["images"]},
                     {"validation_images", run["splits"]["validation"]["images"]},
                     {"test_images", run["splits"]["test"]["images"]},
                     {"shifted_test", r.exp->shifted_test},
                     {"weights_of", r.exp->weights_of}};
    e["test_pixels"] = {{"mean", run["splits"]["test"]["mean"]}, {"std", run["splits"]["test"]["std"]}};
    json per_class = json::array();
    const json& m = run["test_confusion"];
    for (std::size_t t = 0; t < m.size(); ++t) {
        double total = 0;
        for (const json& v : m[t]) total += v.get<double>();
        per_class.push_back(total > 0 ? m[t][t].get<double>() / total : 0.0);
    }
    e["per_class_accuracy"] = per_class;
    e["test"]["penalty_share"] = run["test"]["loss"].get<double>() > 0 ? run["test"]["penalty"].get<double>() / run["test"]["loss"].get<double>() : 0.0;
    e["mode_gap"] = run["test_training_mode"]["accuracy"].get<double>() - run["test"]["accuracy"].get<double>();
    if (trained) {
        const json& last = run["history"].back();
        e["history"] = run["history"];
        e["last_epoch"] = last;
        e["epochs_run"] = run["history"].size();
        e["best_epoch"] = run["best_epoch"];
        e["train_inference_mode"] = run["train_inference_mode"];
        // The study shares its machine (and may be paused), so its wall time says as much of the machine as of
        // the network. Every epoch does the same work: the fastest one is what an epoch costs undisturbed.
        const json& fastest = *std::min_element(run["history"].begin(), run["history"].end(), [](const json& a, const json& b) {
            return a["seconds"].get<double>() < b["seconds"].get<double>();
        });
        e["fit_seconds"] = fastest["seconds"].get<double>() * double(run["history"].size());
        e["images_per_second"] = fastest["images_per_second"];
        // The epochs' measured times, not the run's clock: a resumed run's clock misses the epochs before the resume.
        double epochs_seconds = 0.0;
        for (const json& epoch : run["history"]) epochs_seconds += epoch["seconds"].get<double>();
        e["wall_fit_seconds"] = epochs_seconds;
        e["machine"] = run["timings"].value("machine", "a machine not recorded");
        e["steps"] = run["history"].size() * ((run["splits"]["train"]["images"].get<std::size_t>() + r.options.batch_size - 1) / r.options.batch_size);
        e["generalisation_gap"] = run["train_inference_mode"]["accuracy"].get<double>() - run["test"]["accuracy"].get<double>();
    }
    return e;
}

// Derived figures the answers cite: differences between experiments, ratios, shares.
json derive_answers(const json& x, const json& seed) {
    json a = json::object();
    const auto has = [&](std::initializer_list<const char*> names) {
        for (const char* n : names)
            if (!x.contains(n)) return false;
        return true;
    };
    const auto acc = [&](const char* n) { return x[n]["test"]["accuracy"].get<double>(); };
    // A ratio of training times means something only between runs on the same machine; otherwise it says where each ran.
    const auto time_ratio = [&](json& q, const std::string& key, const char* a, const char* b) {
        q[key] = x[a]["fit_seconds"].get<double>() / x[b]["fit_seconds"].get<double>();
        if (x[a]["machine"] != x[b]["machine"])
            q[key + "_machines"] = fmt::format("`{}` trained on {}, `{}` on {}", a, x[a]["machine"].get<std::string>(), b, x[b]["machine"].get<std::string>());
    };
    const auto val_slope = [&](const char* n) {  // val accuracy gained per epoch over the last five epochs
        const json& h = x[n]["history"];
        const std::size_t k = std::min<std::size_t>(5, h.size() - 1);
        return k ? (h[h.size() - 1]["val_accuracy"].get<double>() - h[h.size() - 1 - k]["val_accuracy"].get<double>()) / double(k) : 0.0;
    };
    if (has({"model_relu", "new_a_model", "new_a_model_tanh", "new_a_model_sigmoid"})) {
        json& q = a["activation"];
        const char* names[] = {"model_relu", "new_a_model", "new_a_model_tanh", "new_a_model_sigmoid"};
        const char* best = names[0];
        for (const char* n : names)
            if (acc(n) > acc(best)) best = n;
        q["best"] = best;
        q["leaky_minus_relu"] = acc("new_a_model") - acc("model_relu");
        q["tanh_minus_relu"] = acc("new_a_model_tanh") - acc("model_relu");
        q["sigmoid_minus_relu"] = acc("new_a_model_sigmoid") - acc("model_relu");
    }
    if (has({"new_a_model", "new_a_model_40"})) {
        json& q = a["epochs"];
        q["gain"] = acc("new_a_model_40") - acc("new_a_model");
        q["loss_change"] = x["new_a_model_40"]["test"]["loss"].get<double>() - x["new_a_model"]["test"]["loss"].get<double>();
        time_ratio(q, "time_ratio", "new_a_model_40", "new_a_model");
        q["val_slope_at_end_of_25"] = val_slope("new_a_model");
        q["val_slope_at_end_of_40"] = val_slope("new_a_model_40");
        q["seed_gain"] = seed["new_a_model_40"]["test_accuracy"].get<double>() - seed["new_a_model"]["test_accuracy"].get<double>();
    }
    if (has({"model_relu", "model_relu_b32"})) {
        json& q = a["batch"];
        q["gain"] = acc("model_relu_b32") - acc("model_relu");
        q["steps_ratio"] = x["model_relu_b32"]["steps"].get<double>() / x["model_relu"]["steps"].get<double>();
        time_ratio(q, "time_ratio", "model_relu_b32", "model_relu");
    }
    if (has({"new_a_model", "new_a_model_bn"})) {
        json& q = a["batchnorm"];
        q["gain"] = acc("new_a_model_bn") - acc("new_a_model");
        q["gap_without"] = x["new_a_model"]["generalisation_gap"];
        q["gap_with"] = x["new_a_model_bn"]["generalisation_gap"];
        q["seed_gain"] = seed["new_a_model_bn"]["test_accuracy"].get<double>() - seed["new_a_model"]["test_accuracy"].get<double>();
    }
    if (has({"cnn", "cnn_half"})) {
        json& q = a["halving"];
        q["accuracy_change"] = acc("cnn_half") - acc("cnn");
        q["parameter_ratio"] = x["cnn"]["parameters"].get<double>() / x["cnn_half"]["parameters"].get<double>();
        time_ratio(q, "time_ratio", "cnn", "cnn_half");
    }
    if (has({"cnn_half"})) {
        json& q = a["failure"];
        const double base = acc("cnn_half");
        q["chance"] = 1.0 / double(x["cnn_half"]["classes"].size());
        q["final_learning_rate"] = x["cnn_half"]["last_epoch"]["learning_rate"];
        q["penalty_share_of_loss"] = x["cnn_half"]["last_epoch"]["loss"].get<double>() > 0
                                         ? 1.0 - x["cnn_half"]["last_epoch"]["loss_without_penalty"].get<double>() / x["cnn_half"]["last_epoch"]["loss"].get<double>()
                                         : 0.0;
        json effects = json::array();
        for (const char* n : {"cnn_half_split_shift", "cnn_half_no_l2", "cnn_half_lr1e-3", "cnn_half_bn_first", "cnn_half_bn_m09", "cnn_half_bn_rows",
                              "cnn_half_homework"})
            if (x.contains(n)) {
                q["change_" + std::string(n)] = acc(n) - base;
                effects.push_back({{"experiment", n}, {"change", acc(n) - base}});
            }
        std::sort(effects.begin(), effects.end(), [](const json& l, const json& r) {
            return std::abs(l["change"].get<double>()) > std::abs(r["change"].get<double>());
        });
        q["ranked"] = effects;
        if (x.contains("cnn_half_lr1e-3")) q["lr_mode_gap"] = x["cnn_half_lr1e-3"]["mode_gap"];
    }
    if (has({"model_relu", "model_relu_split_shift"})) a["split_shift"]["model_relu_change"] = acc("model_relu_split_shift") - acc("model_relu");
    if (has({"model_relu", "model_relu_64"})) {
        json& q = a["input_size"];
        q["mlp_change"] = acc("model_relu_64") - acc("model_relu");
        q["mlp_parameter_ratio"] = x["model_relu_64"]["parameters"].get<double>() / x["model_relu"]["parameters"].get<double>();
        time_ratio(q, "mlp_time_ratio", "model_relu_64", "model_relu");
    }
    if (has({"cnn_half", "cnn_half_64"})) {
        json& q = a["input_size"];
        q["cnn_change"] = acc("cnn_half_64") - acc("cnn_half");
        q["cnn_parameter_ratio"] = x["cnn_half_64"]["parameters"].get<double>() / x["cnn_half"]["parameters"].get<double>();
        q["cnn_multiply_add_ratio"] = x["cnn_half_64"]["multiply_adds_per_image"].get<double>() / x["cnn_half"]["multiply_adds_per_image"].get<double>();
        time_ratio(q, "cnn_time_ratio", "cnn_half_64", "cnn_half");
    }
    return a;
}

// Pixel-value histograms of the training split, the test split and, where the study has split-shift
// experiments, their test split (32 bins over [0, 1]): the picture of what the split-shift warning measures.
// A study folder seeded with finished records has no split-shift data yet: it is built here.
json pixel_histograms(const study_options& o, const std::vector<planned_run>& plan) {
    const shape input{32, 32, 1};
    const auto histogram = [](const data::dataset& d) {
        std::vector<double> h(32, 0.0);
        for (float v : d.images) h[std::min<std::size_t>(31, std::size_t(std::max(0.0f, v) * 32.0f))] += 1.0;
        for (double& v : h) v /= double(d.images.size());
        return h;
    };
    const data::splits consistent = data::load_source(o.data, input);
    json h = {{"train", histogram(consistent.train)}, {"test", histogram(consistent.test)}};
    if (std::any_of(plan.begin(), plan.end(), [](const planned_run& r) { return r.exp->shifted_test; })) {
        prepare_split_shift(o);
        const data::splits s = data::load_source(split_shift_directory(o), input);
        h["shifted_test"] = histogram(s.test);
        h["distance_consistent"] = data::distribution_distance(consistent.train, consistent.test, 0.0, 1.0);
        h["distance_shifted"] = data::distribution_distance(consistent.train, s.test, 0.0, 1.0);
    }
    return h;
}

std::string now_utc() {
    const std::time_t t = std::time(nullptr);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M UTC", std::gmtime(&t));
    return buffer;
}

}  // namespace

json collect_results(const study_options& o, const std::vector<planned_run>& plan, double study_seconds) {
    json experiments = json::object(), missing = json::array();
    for (const planned_run& r : plan) {
        const json run = finished_report(r);
        if (run.is_null()) missing.push_back(r.exp->name);
        else experiments[r.exp->name] = experiment_entry(r, run, o);
    }
    const profile& p = profile_named(o.profile);
    json results = {{"study",
                     {{"profile", o.profile},
                      {"profile_description", p.description},
                      {"data", o.data},
                      {"seed", o.seed},
                      {"threads", o.threads},
                      {"command", o.command_line},
                      {"generated", now_utc()},
                      {"seconds_this_invocation", study_seconds},
                      {"experiments_planned", plan.size()},
                      {"experiments_finished", experiments.size()}}},
                    {"seed", seed_figures()},
                    {"experiments", experiments},
                    {"missing", missing},
                    {"questions", network_questions()},
                    {"pixels", pixel_histograms(o, plan)}};
    results["answers"] = derive_answers(experiments, results["seed"]["experiments"]);
    return results;
}

std::string results_csv(const json& results) {
    std::string csv =
        "experiment,variant,section,kind,epochs,batch_size,learning_rate,decay,train_images,test_images,parameters,"
        "multiply_adds_per_image,test_accuracy,test_accuracy_training_mode,test_loss,test_loss_without_penalty,test_penalty,"
        "val_accuracy,train_accuracy,fit_seconds,images_per_second\n";
    for (const auto& [name, e] : results["experiments"].items()) {
        const bool trained = e["kind"] == "train";
        const json& s = e["settings"];
        csv += fmt::format("{},{},{},{},{},{},{:g},{:g},{},{},{},{},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{},{},{},{}\n", name,
                           e["variant"].get<std::string>(), e["section"].get<std::string>(), e["kind"].get<std::string>(),
                           s["epochs"].get<std::size_t>(), s["batch_size"].get<std::size_t>(), s["learning_rate"].get<double>(),
                           s["decay"].get<double>(), s["train_images"].get<std::size_t>(), s["test_images"].get<std::size_t>(),
                           e["parameters"].get<std::size_t>(), e["multiply_adds_per_image"].get<std::size_t>(),
                           e["test"]["accuracy"].get<double>(), e["test_training_mode"]["accuracy"].get<double>(),
                           e["test"]["loss"].get<double>(), e["test"]["loss_without_penalty"].get<double>(),
                           e["test"]["penalty"].get<double>(),
                           trained ? fmt::format("{:.6f}", e["last_epoch"]["val_accuracy"].get<double>()) : "",
                           trained ? fmt::format("{:.6f}", e["last_epoch"]["accuracy"].get<double>()) : "",
                           trained ? fmt::format("{:.3f}", e["fit_seconds"].get<double>()) : "",
                           trained ? fmt::format("{:.1f}", e["images_per_second"].get<double>()) : "");
    }
    return csv;
}

}  // namespace stag::hw4
