#pragma once
// The report's pictures, drawn by gnuplot (Debian's gnuplot-nox) from results.json: training curves per
// experiment, a confusion-matrix heatmap with per-class accuracy per experiment, and one overlay per
// question. Each picture's gnuplot script is kept next to it (figures/<name>.gp) to be re-drawn or edited.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace stag::hw4 {

// The experiments one overlay compares (a question of the homework, or the failure study).
struct overlay {
    std::string name, title;
    std::vector<std::string> experiments;
    std::string shown_with{};  // the results.json answer whose report section shows it (empty: its own section always)
};
const std::vector<overlay>& overlays();

struct pictures {
    bool drawn = false;
    std::string note;                // why there are none, when there are none
    nlohmann::json files = nlohmann::json::object();  // picture name → path relative to the study folder
};

// Draws every picture results.json has data for into <out>/figures/; `gnuplot` is the program to run.
pictures draw_pictures(const nlohmann::json& results, const std::string& out, const std::string& gnuplot);

// The picture names, shared with the report: curves_<experiment>, confusion_<experiment>, overlay_<name>,
// failure_accuracy, split_shift_pixels.
std::string curves_picture(const std::string& experiment);
std::string confusion_picture(const std::string& experiment);
std::string overlay_picture(const std::string& name);

}  // namespace stag::hw4
