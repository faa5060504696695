// The drivers around the networks: a variant's predict path (PNG files) against the model's own predict,
// its refusal of another network's weights, and the progress line's width.
#include <catch2/catch.hpp>

#include <cmath>

#include "../models/part1.hpp"
#include "driver/progress.hpp"
#include "driver/variant.hpp"
#include "fixtures.hpp"
#include "stag/data/idx.hpp"

namespace stag::variants {
const driver::variant& model_relu();
}

using namespace stag;

TEST_CASE("predicting PNG files gives what the model gives on the same images", "[driver][predict]") {
    const data::splits s = data::load_fashion_mnist();
    data::dataset train = s.train;
    train.truncate(2000);
    adam opt;
    opt.learning_rate = 1e-3f;
    model<models::model_relu<10>> m(64, opt, 1);
    fit_options fit;
    fit.batch_size = 64;
    m.fit(train.view(), nullptr, fit);
    const testing::fs::path dir = testing::fs::temp_directory_path() / "stag_driver_tests";
    testing::fs::remove_all(dir);
    testing::fs::create_directories(dir);
    const std::string weights = (dir / "model_relu.weights").string();
    m.save(weights);

    // The first test images as 8-bit PNGs of the 32×32 frame the network sees.
    constexpr std::size_t n = 12, pixels = 32 * 32;
    driver::run_options o;
    o.batch_size = 64;
    o.predict_weights = weights;
    for (std::size_t i = 0; i < n; ++i) {
        std::vector<std::uint8_t> bytes(pixels);
        for (std::size_t p = 0; p < pixels; ++p) bytes[p] = static_cast<std::uint8_t>(std::lround(s.test.images[i * pixels + p] * 255.0f));
        o.predict_files.push_back((dir / ("test" + std::to_string(i) + ".png")).string());
        testing::write_png_pixels(o.predict_files.back(), 32, 32, bytes.data());
    }
    const std::vector<driver::prediction> predicted = variants::model_relu().predict(o);
    std::vector<float> expected(n * 10);
    m.predict(s.test.images.data(), n, expected.data());
    REQUIRE(predicted.size() == n);
    for (std::size_t i = 0; i < n; ++i) {
        REQUIRE(predicted[i].probabilities.size() == 10);
        const float* e = expected.data() + i * 10;
        CHECK(predicted[i].label == static_cast<std::size_t>(std::max_element(e, e + 10) - e));
        for (std::size_t c = 0; c < 10; ++c) CHECK(predicted[i].probabilities[c] == Approx(e[c]).margin(1e-5));
    }

    // Weights of another network are refused, naming the file.
    using other = sequential<input<32, 32, 1>, flatten, dense<20>, relu, dense<10>, softmax>;
    model<other> different(8);
    const std::string foreign = (dir / "other.weights").string();
    different.save(foreign);
    o.predict_weights = foreign;
    CHECK_THROWS_WITH(variants::model_relu().predict(o), Catch::StartsWith(foreign) && Catch::Contains("weights belong to another network"));
    CHECK_THROWS_WITH(variants::model_relu().weights_classes(foreign), Catch::Contains("another network"));
    CHECK(variants::model_relu().weights_classes(weights) == 10);
}

TEST_CASE("the progress line never exceeds the terminal width", "[driver][progress]") {
    const batch_progress p{3, 25, 412, 860, 26368, 3.6321, 2.9781, 0.71234, 25.7};
    for (std::size_t width : {20, 40, 60, 80, 100, 120, 200}) {
        const std::string plain = driver::format_progress_line(p, width), studied = driver::format_progress_line(p, width, "[12/19 cnn_half] ", " | study ETA 1h02m");
        INFO(width << ": " << studied);
        CHECK(plain.size() < width);
        CHECK(studied.size() < width);
    }
    const std::string wide = driver::format_progress_line(p, 200);
    CHECK_THAT(wide, Catch::Contains("Epoch 3/25 412/860 [") && Catch::Contains("ETA") && Catch::Contains("penalty 2.9781"));
    CHECK(driver::format_duration(59.4) == "59s");
    CHECK(driver::format_duration(250) == "4m10s");
    CHECK(driver::format_duration(3720) == "1h02m");
}
