// The interop checks that span every HW4 variant (tests/CMakeLists.txt, label interop; docs/interop.md):
//   interop_check train --work DIR [VARIANT…]        each variant trained briefly on Fashion-MNIST (1 epoch of 512
//                                                     images at lr 1e-3, so batch norm's moving statistics and every
//                                                     weight move): DIR/<variant>/<variant>.weights
//   interop_check round-trip --work DIR [VARIANT…]   stag → ONNX → stag gives a byte-identical weights file
//   interop_check onnxruntime --work DIR --script ort_predict.js --modules NODE_MODULES [--node NODE] [--images N] [VARIANT…]
//                                                     ONNX Runtime on the exported file against stag's predict on the
//                                                     first N test images: max |Δp| ≤ 1e-5, the same argmax on every
//                                                     image, and stag on its own ONNX file bit for bit its weights'
//                                                     predictions; then the same for the coverage networks
//                                                     (coverage_nets.hpp: every layer and option) on random inputs.
//                                                     Without node or onnxruntime-node: "skipped: …".
//   interop_check compare --variant V --weights FILE --images X.f32 --labels Y.u8 --probabilities P.f32 [--tolerance T] [--accuracy A]
//                                                     stag's predictions with FILE (any format) against another
//                                                     framework's (tests/interop/pytorch_to_stag.py)
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "driver/variant.hpp"
#include "interop/coverage_nets.hpp"
#include "stag/interop/impl/layouts.hpp"
#include "stag/interop/onnx.hpp"

namespace fs = std::filesystem;
using namespace stag;

namespace {

template <class T>
void write_values(const fs::path& path, const std::vector<T>& v) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(T)));
    if (!out) throw file_error(path.string(), "cannot write");
}
template <class T>
std::vector<T> read_values(const fs::path& path, std::size_t count) {
    std::vector<T> v(count);
    std::ifstream in(path, std::ios::binary);
    in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(count * sizeof(T)));
    if (in.gcount() != static_cast<std::streamsize>(count * sizeof(T)))
        throw file_error(path.string(), "holds fewer than the " + std::to_string(count) + " values expected");
    return v;
}
std::vector<char> file_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw file_error(path.string(), "cannot open");
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
std::string shell_quoted(const std::string& s) { return "'" + s + "'"; }

std::vector<const driver::variant*> chosen(const std::vector<std::string>& names) {
    if (names.empty()) return driver::all_variants();
    std::vector<const driver::variant*> v;
    for (const std::string& n : names) v.push_back(&driver::variant_named(n));
    return v;
}
fs::path folder_of(const std::string& work, const driver::variant& v) { return fs::path(work) / v.defaults.name; }
fs::path weights_of(const std::string& work, const driver::variant& v) { return folder_of(work, v) / (v.defaults.name + ".weights"); }

driver::run_options brief_run(const driver::variant& v, const std::string& work, std::size_t test_images) {
    driver::run_options o = driver::defaults_of(v.defaults);
    o.limit = 512;
    o.limit_validation = 64;
    o.limit_test = test_images;
    o.epochs = 1;
    o.learning_rate = 1e-3;  // the homework's 1e-5 would leave the weights near their initialisation
    o.decay = 0.0;
    o.progress = false;
    o.out = folder_of(work, v).string();
    return o;
}

// One Fashion-MNIST load per input size (the 32×32 and 64×64 variants).
class data_cache {
public:
    const driver::loaded_data& get(const driver::run_options& o, shape input) {
        auto found = loaded_.find(input.h);
        if (found == loaded_.end()) found = loaded_.emplace(input.h, driver::load_data(o, input, false)).first;
        return found->second;
    }

private:
    std::map<std::size_t, driver::loaded_data> loaded_;
};

int train(const std::string& work, const std::vector<std::string>& names) {
    data_cache cache;
    for (const driver::variant* v : chosen(names)) {
        const driver::run_options o = brief_run(*v, work, 64);
        driver::prepare_output_folder(o.out);
        const driver::run_report r = v->train(v->defaults, o, cache.get(o, v->input), {});
        fmt::print("{:<22} trained: {}\n", v->defaults.name, r.weights_file);
    }
    return 0;
}

int round_trip(const std::string& work, const std::vector<std::string>& names) {
    bool all_pass = true;
    for (const driver::variant* v : chosen(names)) {
        driver::run_options to_onnx;
        to_onnx.initial_weights = weights_of(work, *v).string();
        to_onnx.export_onnx = (folder_of(work, *v) / "round_trip.onnx").string();
        v->convert(to_onnx);
        driver::run_options back;
        back.initial_weights = to_onnx.export_onnx;
        back.export_weights = (folder_of(work, *v) / "round_trip.weights").string();
        v->convert(back);
        const bool same = file_bytes(to_onnx.initial_weights) == file_bytes(back.export_weights);
        all_pass = all_pass && same;
        fmt::print("{:<22} stag → ONNX ({} bytes) → stag: {}\n", v->defaults.name, fs::file_size(to_onnx.export_onnx),
                   same ? "byte-identical weights file" : "DIFFERENT weights file");
    }
    return all_pass ? 0 : 1;
}

struct agreement {
    float max_difference = 0.0f;
    std::size_t same_argmax = 0;
};
agreement agree(const std::vector<float>& a, const std::vector<float>& b, std::size_t classes) {
    agreement g;
    for (std::size_t i = 0; i < a.size() / classes; ++i) {
        const float* x = a.data() + i * classes;
        const float* y = b.data() + i * classes;
        for (std::size_t k = 0; k < classes; ++k) g.max_difference = std::max(g.max_difference, std::abs(x[k] - y[k]));
        g.same_argmax += std::max_element(x, x + classes) - x == std::max_element(y, y + classes) - y;
    }
    return g;
}
bool bitwise_equal(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// ONNX Runtime's outputs for n samples of shape `in` (stag's NHWC order; the graph takes NCHW).
struct onnx_runtime {
    std::string node, script, modules;
    std::vector<float> run(const fs::path& model, const std::vector<float>& nhwc, std::size_t n, shape in, std::size_t outputs) const {
        const fs::path images = fs::path(model).replace_extension(".images.f32"), out = fs::path(model).replace_extension(".onnxruntime.f32");
        write_values(images, onnx_io::permuted(nhwc, {n, in.h, in.w, in.c}, onnx_io::nchw_from_nhwc));
        const std::string command = "NODE_PATH=" + shell_quoted(modules) + " " + shell_quoted(node) + " " + shell_quoted(script) + " " +
                                    shell_quoted(model.string()) + " " + shell_quoted(images.string()) + " " + std::to_string(n) + " " +
                                    std::to_string(in.c) + " " + std::to_string(in.h) + " " + std::to_string(in.w) + " " + shell_quoted(out.string());
        if (std::system(command.c_str()) != 0) throw error("ONNX Runtime failed on " + model.string());
        return read_values<float>(out, n * outputs);
    }
};

// A coverage network with distinct weights on 64 random inputs, in stag and in ONNX Runtime.
template <class Net>
bool coverage_check(const std::string& name, const std::string& work, const onnx_runtime& ort) {
    constexpr std::size_t n = 64, classes = Net::output_shape.c;
    model<Net> m(n);
    testing::fill_distinct(m.network(), 7);
    std::vector<float> x(n * Net::input_shape.size());
    std::uint32_t state = 12345;
    for (float& v : x) v = static_cast<float>((state = state * 1664525u + 1013904223u) >> 8) / 8388608.0f - 1.0f;  // [-1, 1)
    const fs::path file = fs::path(work) / (name + ".onnx");
    fs::create_directories(work);
    save_onnx(m, file.string());
    std::vector<float> p(n * classes);
    m.predict(x.data(), n, p.data());
    const agreement g = agree(p, ort.run(file, x, n, Net::input_shape, classes), classes);
    const bool pass = g.max_difference <= 1e-5f && g.same_argmax == n;
    fmt::print("{:<22}{:>8}{:>12.2e}{:>9}/{:<4}{:>20}{}\n", name, n, g.max_difference, g.same_argmax, n, "", pass ? "" : "   FAILED");
    return pass;
}

int onnxruntime(const std::string& work, const std::string& node, const std::string& script, const std::string& modules, std::size_t images,
                const std::vector<std::string>& names) {
    if (std::system((shell_quoted(node) + " --version > /dev/null 2>&1").c_str()) != 0) {
        fmt::print("skipped: no node executable ('{}'): install Debian's nodejs, then cmake/setup.sh --interop\n", node);
        return 0;
    }
    if (!fs::exists(fs::path(modules) / "onnxruntime-node")) {
        fmt::print("skipped: {} has no onnxruntime-node: cmake/setup.sh --interop installs it\n", modules);
        return 0;
    }
    const onnx_runtime ort{node, script, modules};
    data_cache cache;
    bool all_pass = true;
    fmt::print("{:<22}{:>8}{:>12}{:>14}{:>20}\n", "variant", "images", "max |Δp|", "same argmax", "own ONNX bitwise");
    for (const driver::variant* v : chosen(names)) {
        const driver::run_options o = brief_run(*v, work, images);
        driver::run_options convert;
        convert.initial_weights = weights_of(work, *v).string();
        convert.export_onnx = (folder_of(work, *v) / (v->defaults.name + ".onnx")).string();
        v->convert(convert);

        const data::dataset& test = cache.get(o, v->input).splits.test;
        const shape in = test.sample;
        const std::size_t n = test.size(), classes = test.classes();
        const std::vector<float> stag_p = v->predict_images(convert.initial_weights, test.images.data(), n);
        const std::vector<float> own_p = v->predict_images(convert.export_onnx, test.images.data(), n);
        const agreement g = agree(stag_p, ort.run(convert.export_onnx, test.images, n, in, classes), classes);
        const bool own = bitwise_equal(stag_p, own_p);
        const bool pass = g.max_difference <= 1e-5f && g.same_argmax == n && own;
        all_pass = all_pass && pass;
        fmt::print("{:<22}{:>8}{:>12.2e}{:>9}/{:<4}{:>20}{}\n", v->defaults.name, n, g.max_difference, g.same_argmax, n, own ? "yes" : "NO",
                   pass ? "" : "   FAILED");
    }
    if (names.empty()) {
        const std::string nets = (fs::path(work) / "coverage").string();
        all_pass = coverage_check<testing::map_coverage_net>("map_coverage_net", nets, ort) && all_pass;
        all_pass = coverage_check<testing::pool_coverage_net>("pool_coverage_net", nets, ort) && all_pass;
        all_pass = coverage_check<testing::flat_coverage_net>("flat_coverage_net", nets, ort) && all_pass;
    }
    return all_pass ? 0 : 1;
}

int compare(const std::string& name, const std::string& weights, const std::string& images, const std::string& labels,
            const std::string& probabilities, double tolerance, double accuracy) {
    const driver::variant& v = driver::variant_named(name);
    const std::size_t per_image = v.input.size();
    const std::size_t n = fs::file_size(images) / (per_image * sizeof(float));
    const std::vector<float> x = read_values<float>(images, n * per_image);
    const std::vector<std::uint8_t> y = read_values<std::uint8_t>(labels, n);
    const std::vector<float> p = v.predict_images(weights, x.data(), n);
    const std::size_t classes = p.size() / n;
    const std::vector<float> theirs = read_values<float>(probabilities, n * classes);
    const agreement g = agree(p, theirs, classes);
    std::size_t correct = 0;
    for (std::size_t i = 0; i < n; ++i) correct += std::size_t(std::max_element(p.begin() + i * classes, p.begin() + (i + 1) * classes) - (p.begin() + i * classes)) == y[i];
    const double stag_accuracy = double(correct) / double(n);
    const bool pass = g.max_difference <= tolerance && (accuracy < 0 || std::abs(stag_accuracy - accuracy) <= 0.0005);
    fmt::print("{} with {}: {} images, test accuracy {:.2f} % (theirs {:.2f} %), max |Δp| {:.2e} (bar {:.0e}), same argmax on {}/{}: {}\n", name, weights, n,
               100 * stag_accuracy, 100 * accuracy, g.max_difference, tolerance, g.same_argmax, n, pass ? "agree" : "DISAGREE");
    return pass ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"interop checks across the HW4 variants"};
    app.require_subcommand(1);
    std::string work, script, modules, node = "node", variant, weights, images, labels, probabilities;
    std::size_t image_count = 1000;
    double tolerance = 1e-4, accuracy = -1;
    std::vector<std::string> names;
    auto* train_cmd = app.add_subcommand("train", "train each variant briefly");
    auto* round_cmd = app.add_subcommand("round-trip", "stag → ONNX → stag, byte for byte");
    auto* ort_cmd = app.add_subcommand("onnxruntime", "ONNX Runtime against stag's predict");
    auto* compare_cmd = app.add_subcommand("compare", "stag's predictions against another framework's");
    for (auto* c : {train_cmd, round_cmd, ort_cmd}) {
        c->add_option("--work", work, "folder of the trained variants")->required();
        c->add_option("variants", names, "variants (default: all)");
    }
    ort_cmd->add_option("--script", script, "tests/interop/ort_predict.js")->required();
    ort_cmd->add_option("--modules", modules, "a node_modules folder holding onnxruntime-node")->required();
    ort_cmd->add_option("--node", node, "the node executable")->capture_default_str();
    ort_cmd->add_option("--images", image_count, "test images compared")->capture_default_str();
    compare_cmd->add_option("--variant", variant)->required();
    compare_cmd->add_option("--weights", weights)->required()->check(CLI::ExistingFile);
    compare_cmd->add_option("--images", images, "float32 images as the variant takes them")->required()->check(CLI::ExistingFile);
    compare_cmd->add_option("--labels", labels, "one byte per image")->required()->check(CLI::ExistingFile);
    compare_cmd->add_option("--probabilities", probabilities, "the other framework's float32 probabilities")->required()->check(CLI::ExistingFile);
    compare_cmd->add_option("--tolerance", tolerance, "largest |Δp| allowed")->capture_default_str();
    compare_cmd->add_option("--accuracy", accuracy, "the other framework's accuracy on these images: stag's must be within 0.05 pp");
    CLI11_PARSE(app, argc, argv);
    try {
        if (train_cmd->parsed()) return train(work, names);
        if (round_cmd->parsed()) return round_trip(work, names);
        if (ort_cmd->parsed()) return onnxruntime(work, node, script, modules, image_count, names);
        return compare(variant, weights, images, labels, probabilities, tolerance, accuracy);
    } catch (const std::exception& e) {
        fmt::print(stderr, "interop_check: {}\n", e.what());
        return 1;
    }
}
