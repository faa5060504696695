// stag-data: builds the data variants of data/README.md.
//   stag-data split-shift  --from DIR --out DIR   test split through another export (IDX dir or X-ray root)
//   stag-data resize       --from DIR --out DIR --side N   Fashion-MNIST as N×N IDX files
//   stag-data xray-example --out DIR [--per-class N]      a tiny generated X-ray layout
#include <fmt/core.h>

#include <CLI/CLI.hpp>

#include "recipes.hpp"
#include "stag/data/idx.hpp"

int main(int argc, char** argv) {
    using namespace stag::recipes;
    CLI::App app{"stag-data: builds the dataset variants the hw4 study uses (data/README.md)"};
    app.require_subcommand(1);
    std::string from = stag::data::fashion_mnist_dir, out;
    std::size_t side = 64, per_class = 3;
    auto* shift = app.add_subcommand("split-shift", "copy a data set with its test split run through another export pipeline");
    shift->add_option("--from", from, "Fashion-MNIST IDX directory or X-ray root")->capture_default_str()->check(CLI::ExistingDirectory);
    shift->add_option("--out", out, "output directory")->required();
    auto* resize = app.add_subcommand("resize", "write Fashion-MNIST framed to 32x32 and resampled to SIDE x SIDE, as IDX");
    resize->add_option("--from", from, "Fashion-MNIST IDX directory")->capture_default_str()->check(CLI::ExistingDirectory);
    resize->add_option("--out", out, "output directory")->required();
    resize->add_option("--side", side, "output image side")->capture_default_str()->check(CLI::Range(8, 1024));
    auto* example = app.add_subcommand("xray-example", "write a tiny generated X-ray folder layout");
    example->add_option("--out", out, "output root")->required();
    example->add_option("--per-class", per_class, "images per class and split")->capture_default_str()->check(CLI::Range(1, 1000));
    CLI11_PARSE(app, argc, argv);
    try {
        if (shift->parsed()) {
            if (fs::exists(fs::path(from) / "train-images-idx3-ubyte.gz")) write_split_shift_idx(from, out);
            else write_split_shift_xray(from, out);
        } else if (resize->parsed()) {
            write_resized_idx(from, out, side);
        } else {
            write_xray_example(out, per_class);
        }
        fmt::print("wrote {}\n", out);
        return 0;
    } catch (const std::exception& e) {
        fmt::print(stderr, "stag-data: error: {}\n", e.what());
        return 1;
    }
}
