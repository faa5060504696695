#include "plots.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "stag/core/atomic_file.hpp"

namespace stag::hw4 {

namespace fs = std::filesystem;
using nlohmann::json;

const std::vector<overlay>& overlays() {
    static const std::vector<overlay> list = {
        {"activation", "Part 1: hidden activation (25 epochs, batch 64)", {"model_relu", "new_a_model", "new_a_model_tanh", "new_a_model_sigmoid"}},
        {"epochs", "Part 1: new_a_model for 25 and 40 epochs", {"new_a_model", "new_a_model_40"}},
        {"batch", "Part 1: model_relu with batch 64 and 32", {"model_relu", "model_relu_b32"}},
        {"batchnorm", "Part 1: new_a_model without and with batch norm", {"new_a_model", "new_a_model_bn"}},
        {"filters", "Part 2: cnn and cnn_half (homework settings)", {"cnn", "cnn_half"}},
        {"failure", "Why the CNN failed: cnn_half with one change each",
         {"cnn_half", "cnn_half_no_l2", "cnn_half_lr1e-3", "cnn_half_bn_first", "cnn_half_bn_m09", "cnn_half_bn_rows"}},
        {"input_size", "A larger input: 32×32 against 64×64", {"model_relu", "model_relu_64", "cnn_half", "cnn_half_64"}, "input_size"}};
    return list;
}

std::string curves_picture(const std::string& e) { return "curves_" + e; }
std::string confusion_picture(const std::string& e) { return "confusion_" + e; }
std::string overlay_picture(const std::string& name) { return "overlay_" + name; }

namespace {

// gnuplot string literal: single quotes, a quote doubled.
std::string quoted(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("''") : std::string(1, c);
    return q + "'";
}

std::string header(const std::string& png, int width, int height) {
    return fmt::format("set terminal pngcairo size {},{} noenhanced font ',10'\nset output {}\nset grid lc rgb '#dddddd'\nset key below height 1\n", width,
                       height, quoted(png));
}

// Whole epochs on the x axis.
std::string epoch_axis(const json& history) {
    return history.size() <= 15 ? "set xtics 1\nset xlabel 'epoch'\n" : "set xtics auto\nset format x '%.0f'\nset xlabel 'epoch'\n";
}

// A data-file string: double quotes (gnuplot reads them as one field), a quote replaced.
std::string field(std::string s) {
    std::replace(s.begin(), s.end(), '"', '\'');
    return '"' + s + '"';
}

std::string history_block(const std::string& name, const json& history) {
    std::string b = "$" + name + " << EOD\n";
    for (const json& h : history)
        b += fmt::format("{} {} {} {} {} {} {}\n", h["epoch"].get<int>(), h["loss"].get<double>(), h["loss_without_penalty"].get<double>(),
                         h["accuracy"].get<double>(), h["val_loss"].get<double>(), h["val_loss_without_penalty"].get<double>(),
                         h["val_accuracy"].get<double>());
    return b + "EOD\n";
}

std::string curves_script(const std::string& name, const json& e, const std::string& png) {
    const bool penalised = e["test"]["penalty"].get<double>() > 0;
    std::string s = header(png, 1000, 440) + history_block("h", e["history"]) + epoch_axis(e["history"]);
    s += fmt::format("set multiplot layout 1,2 title {}\nset ylabel 'loss'\n", quoted(name + ": " + e["change"].get<std::string>()));
    s += "plot $h using 1:2 with linespoints pt 7 ps 0.5 title 'training loss', $h using 1:5 with linespoints pt 7 ps 0.5 title 'validation loss'";
    if (penalised)
        s += ", $h using 1:3 with lines dt 2 lc 1 title 'training cross-entropy', $h using 1:6 with lines dt 2 lc 2 title 'validation cross-entropy'";
    s += "\nset ylabel 'accuracy'\n";
    s += "plot $h using 1:4 with linespoints pt 7 ps 0.5 title 'training (training mode)', $h using 1:7 with linespoints pt 7 ps 0.5 title "
         "'validation (inference mode)'\nunset multiplot\n";
    return s;
}

std::string confusion_script(const std::string& name, const json& e, const std::string& png) {
    const json& m = e["confusion"];
    const json& classes = e["classes"];
    const std::size_t n = classes.size();
    std::string fractions = "$f << EOD\n", labels = "$c << EOD\n", per_class = "$p << EOD\n", tics;
    for (std::size_t t = 0; t < n; ++t) {
        double total = 0;
        for (const json& v : m[t]) total += v.get<double>();
        for (std::size_t p = 0; p < n; ++p) {
            const double fraction = total > 0 ? m[t][p].get<double>() / total : 0.0;
            fractions += fmt::format("{} ", fraction);
            // Each count in a colour that stands out on its cell: white on dark cells.
            labels += fmt::format("{} {} {} {}\n", p, t, m[t][p].get<long>(), fraction > 0.5 ? "0xffffff" : "0x333333");
        }
        fractions += "\n";
        per_class += fmt::format("{} {}\n", t, e["per_class_accuracy"][t].get<double>());
        tics += fmt::format("{}{} {}", t ? ", " : "", quoted(classes[t].get<std::string>()), t);
    }
    std::string s = header(png, 1100, 460) + fractions + "EOD\n" + labels + "EOD\n" + per_class + "EOD\n";
    s += fmt::format("set multiplot layout 1,2 title {}\n",
                     quoted(name + ": test split, accuracy " + fmt::format("{:.2f}%", 100 * e["test"]["accuracy"].get<double>())));
    s += fmt::format("set xtics ({}) rotate by 45 right\nset ytics ({})\nset xrange [-0.5:{}]\nset yrange [{}:-0.5]\n", tics, tics, n - 0.5, n - 0.5);
    s += "set xlabel 'predicted'\nset ylabel 'true class'\nset cbrange [0:1]\nset palette defined (0 '#ffffff', 1 '#08306b')\nunset grid\n";
    s += "plot $f matrix with image notitle, $c using 1:2:(sprintf('%d', $3)):4 with labels font ',8' tc rgb variable notitle\n";
    s += "unset colorbox\nset grid\nset xrange [-0.5:" + fmt::format("{}", n - 0.5) + "]\nset yrange [0:1]\nset ytics auto\nset xlabel ''\n";
    s += "set ylabel 'per-class accuracy'\nset style fill solid 0.7\nset boxwidth 0.7\nplot $p using 1:2 with boxes lc rgb '#08519c' notitle\n";
    return s + "unset multiplot\n";
}

std::string overlay_script(const overlay& o, const json& x, const std::string& png) {
    std::string s = header(png, 1100, 440), plots_accuracy, plots_loss;
    json longest = json::array();
    int k = 0;
    for (const std::string& name : o.experiments) {
        if (!x.contains(name) || !x[name].contains("history")) continue;
        const std::string block = fmt::format("h{}", k);
        s += history_block(block, x[name]["history"]);
        if (x[name]["history"].size() > longest.size()) longest = x[name]["history"];
        plots_accuracy += fmt::format("{}${} using 1:7 with linespoints pt 7 ps 0.5 lc {} title {}, ${} using 1:4 with lines dt 2 lc {} notitle",
                                      k ? ", " : "", block, k + 1, quoted(name), block, k + 1);
        plots_loss += fmt::format("{}${} using 1:5 with linespoints pt 7 ps 0.5 lc {} title {}", k ? ", " : "", block, k + 1, quoted(name));
        ++k;
    }
    s += fmt::format("set multiplot layout 1,2 title {}\n", quoted(o.title + " (dashed: training accuracy, in training mode)"));
    s += epoch_axis(longest);
    s += "set ylabel 'validation accuracy (inference mode)'\nplot " + plots_accuracy + "\n";
    s += "set ylabel 'validation loss'\nplot " + plots_loss + "\nunset multiplot\n";
    return s;
}

std::string failure_bars_script(const json& x, const std::string& png) {
    std::string s = header(png, 1100, 440) + "$d << EOD\n";
    for (const char* n : {"cnn_half", "cnn_half_split_shift", "cnn_half_no_l2", "cnn_half_lr1e-3", "cnn_half_bn_first", "cnn_half_bn_m09",
                          "cnn_half_bn_rows", "cnn_half_homework"})
        if (x.contains(n))
            s += fmt::format("{} {} {}\n", field(std::string(n).substr(std::string(n) == "cnn_half" ? 0 : 9)), x[n]["test"]["accuracy"].get<double>(),
                             x[n]["test_training_mode"]["accuracy"].get<double>());
    s += "EOD\nset title 'cnn_half, test accuracy: inference mode (moving statistics, no dropout) and training mode (batch statistics, dropout)'\n";
    s += "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8\nset yrange [0:1]\nset ylabel 'test accuracy'\n";
    s += "set key top right\nset xtics rotate by 20 right\nplot $d using 2:xtic(1) title 'inference mode' lc rgb '#08519c', '' using 3 title 'training mode' lc rgb '#fd8d3c'\n";
    return s;
}

std::string pixels_script(const json& p, const std::string& png) {
    std::string s = header(png, 900, 420) + "$p << EOD\n";
    const bool shifted = p.contains("shifted_test");
    for (std::size_t b = 0; b < p["train"].size(); ++b)
        s += fmt::format("{} {} {} {}\n", (double(b) + 0.5) / 32.0, p["train"][b].get<double>(), p["test"][b].get<double>(),
                         shifted ? p["shifted_test"][b].get<double>() : 0.0);
    s += "EOD\nset title 'Pixel values per split (fraction of pixels, 32 bins)'\nset logscale y\nset format y '%g'\nset xlabel 'pixel value'\nset ylabel 'fraction'\n";
    s += "plot $p using 1:2 with histeps lw 2 title 'train', $p using 1:3 with histeps lw 2 title 'test'";
    if (shifted) s += ", $p using 1:4 with histeps lw 2 title 'test from another export (split shift)'";
    return s + "\n";
}

}  // namespace

pictures draw_pictures(const json& results, const std::string& out, const std::string& gnuplot) {
    pictures result;
    if (std::system((gnuplot + " --version > /dev/null 2>&1").c_str()) != 0) {
        result.note = "No pictures: gnuplot was not found ('" + gnuplot +
                      "'). Install Debian's gnuplot-nox (cmake/setup.sh does) or pass --gnuplot PATH; every figure is in the tables "
                      "and in results.json.";
        return result;
    }
    const fs::path dir = fs::path(out) / "figures";
    fs::create_directories(dir);
    const auto draw = [&](const std::string& name, const std::string& script_for_png) {
        const fs::path png = dir / (name + ".png"), script = dir / (name + ".gp");
        write_file_atomically(script.string(), script_for_png);
        fs::remove(png);
        // Run in the figures folder: the scripts name their output relative to it, so they travel with it.
        const std::string command = "cd '" + dir.string() + "' && " + gnuplot + " '" + name + ".gp' 2> '" + name + ".log'";
        if (std::system(command.c_str()) != 0 || !fs::exists(png) || fs::file_size(png) == 0)
            throw error("gnuplot failed to draw " + png.string() + " (see " + (dir / (name + ".log")).string() + ")");
        fs::remove(dir / (name + ".log"));
        result.files[name] = "figures/" + name + ".png";
    };
    const json& x = results["experiments"];
    for (const auto& [name, e] : x.items()) {
        if (e.contains("history")) draw(curves_picture(name), curves_script(name, e, curves_picture(name) + ".png"));
        draw(confusion_picture(name), confusion_script(name, e, confusion_picture(name) + ".png"));
    }
    for (const overlay& o : overlays()) {
        std::size_t present = 0;
        for (const std::string& n : o.experiments) present += x.contains(n) && x[n].contains("history");
        const bool shown = o.shown_with.empty() || results["answers"].contains(o.shown_with);
        if (present >= 2 && shown) draw(overlay_picture(o.name), overlay_script(o, x, overlay_picture(o.name) + ".png"));
    }
    if (x.contains("cnn_half")) draw("failure_accuracy", failure_bars_script(x, "failure_accuracy.png"));
    draw("split_shift_pixels", pixels_script(results["pixels"], "split_shift_pixels.png"));
    result.drawn = true;
    return result;
}

}  // namespace stag::hw4
