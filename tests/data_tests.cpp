// Loaders on generated good and corrupt files: each bad input gets an error naming the file and why.
#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "recipes.hpp"
#include "stag/data/idx.hpp"
#include "stag/data/statistics.hpp"
#include "stag/data/xray.hpp"
#include "stag/data/xtensor_view.hpp"

#include <xtensor/xview.hpp>
#include <xtensor/xreducer.hpp>

using namespace stag;
using namespace stag::testing;

namespace {
fs::path scratch(const std::string& name) {
    const fs::path p = fs::temp_directory_path() / "stag_data_tests" / name;
    fs::remove_all(p);
    return p;
}

// The message of the file_error that f throws (fails the test if it throws nothing).
template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const file_error& e) {
        return e.what();
    }
    FAIL("no error was raised");
    return "";
}

const std::vector<std::string> ten{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
}  // namespace

TEST_CASE("IDX: a good pair is padded to 32x32 and scaled to [0,1]", "[data][idx]") {
    const fs::path dir = scratch("idx_good");
    write_idx_dir(dir, idx_damage::none);
    const data::dataset d = data::read_idx_pair((dir / "train-images-idx3-ubyte.gz").string(), (dir / "train-labels-idx1-ubyte.gz").string(), ten, "t");
    REQUIRE(d.size() == 12);
    CHECK(d.sample == shape{32, 32, 1});
    CHECK(d.labels[3] == 3);
    // Image 1, row 0, col 0 of the 28x28 source sits at (2, 2) of the frame; the border is zero.
    CHECK(d.images[1024 + 2 * 32 + 2] == Approx(7 / 255.0));
    CHECK(d.images[1024 + 0] == 0.0f);
    CHECK(d.images[1024 + 5 * 32 + 9] == Approx((7 + 3 + 7) / 255.0));
    // The two-pixel frame is zero in every image.
    const auto images = data::as_tensor(d);
    CHECK(images.shape()[0] == 12);
    CHECK(xt::sum(xt::view(images, xt::all(), xt::range(0, 2), xt::all(), xt::all()))() == 0.0f);
    CHECK(xt::sum(xt::view(images, xt::all(), xt::all(), xt::range(30, 32), xt::all()))() == 0.0f);
    // A full Fashion-MNIST directory needs 60,000 training images; this one is refused clearly.
    CHECK_THAT(error_of([&] { data::load_fashion_mnist(dir.string()); }), Catch::Contains("holds 12 images, Fashion-MNIST has 60000"));
}

TEST_CASE("IDX: each kind of damage is named with its file", "[data][idx]") {
    const struct {
        idx_damage damage;
        const char* file;
        const char* reason;
    } cases[] = {
        {idx_damage::truncated_gzip, "train-images-idx3-ubyte.gz", "truncated or corrupt gzip"},
        {idx_damage::wrong_magic, "train-images-idx3-ubyte.gz", "wrong magic 0x00000801"},
        {idx_damage::wrong_dimensions, "train-images-idx3-ubyte.gz", "images of zero size"},
        {idx_damage::count_mismatch, "train-labels-idx1-ubyte.gz", "11 labels for 12 images"},
    };
    for (const auto& c : cases) {
        const fs::path dir = scratch("idx_damaged");
        write_idx_dir(dir, c.damage);
        const std::string msg = error_of([&] { data::load_fashion_mnist(dir.string()); });
        INFO(msg);
        CHECK_THAT(msg, Catch::StartsWith((dir / c.file).string()) && Catch::Contains(c.reason));
    }
}

TEST_CASE("IDX: missing directory, missing file, short payload", "[data][idx]") {
    CHECK_THAT(error_of([] { data::load_fashion_mnist("/nonexistent/stag"); }), Catch::Contains("/nonexistent/stag: no such directory"));
    const fs::path dir = scratch("idx_short");
    write_idx_dir(dir, idx_damage::none);
    fs::remove(dir / "t10k-labels-idx1-ubyte.gz");
    CHECK_THAT(error_of([&] { data::read_idx_labels((dir / "t10k-labels-idx1-ubyte.gz").string()); }), Catch::Contains("no such file"));
    std::vector<std::uint8_t> cut = idx_images(3, 28, 28);
    cut.resize(cut.size() - 100);
    write_bytes(dir / "raw-images", cut, false);  // plain (not gzipped) IDX is read too
    CHECK_THAT(error_of([&] { data::read_idx_images((dir / "raw-images").string()); }),
               Catch::Contains("header promises 2352 bytes of data, file holds 2252"));
}

TEST_CASE("X-ray folders: any PNG size becomes 32x32, class from the letter before the extension", "[data][xray]") {
    const fs::path root = scratch("xray_good");
    write_xray_dir(root);
    const data::splits s = data::load_xray_folders(root);
    CHECK(s.train.size() == 12);
    CHECK(s.test.size() == 12);
    CHECK(s.train.classes() == 4);
    CHECK(s.train.sample == shape{32, 32, 1});
    CHECK(s.train.labels[0] == 0);  // img0_b.png
    CHECK(s.train.labels[11] == 3);  // img32_h.png
    const data::pixel_statistics st = data::statistics(s.train);
    CHECK(st.min >= 0.0);
    CHECK(st.max <= 1.0);
    CHECK(st.max > 0.9);
}

TEST_CASE("X-ray folders: bad input is named", "[data][xray]") {
    const fs::path root = scratch("xray_bad");
    CHECK_THAT(error_of([&] { data::load_xray_folders(root); }), Catch::Contains("no such directory"));
    write_xray_dir(root);
    fs::remove_all(root / "validation");
    CHECK_THAT(error_of([&] { data::load_xray_folders(root); }), Catch::Contains((root / "validation").string() + ": no such directory"));
    write_xray_dir(root);
    write_png(root / "train" / "odd_x.png", 32, 32, 255, 1);
    CHECK_THAT(error_of([&] { data::load_xray_folders(root); }), Catch::Contains("odd_x.png: class letter 'x'"));
    fs::remove(root / "train" / "odd_x.png");
    std::ofstream(root / "train" / "broken_b.png") << "not a png";
    CHECK_THAT(error_of([&] { data::load_xray_folders(root); }), Catch::Contains("broken_b.png: unreadable PNG"));
}

TEST_CASE("split-shift warning fires on a mis-processed test split and stays silent otherwise", "[data][shift]") {
    const fs::path consistent = scratch("xray_consistent"), shifted = scratch("xray_shifted");
    write_xray_dir(consistent);
    write_xray_dir(shifted, /*test_peak=*/1);  // test PNGs hold values in [0, 1] instead of [0, 255]
    CHECK(data::split_shift_warnings(data::load_xray_folders(consistent)).empty());
    const auto warnings = data::split_shift_warnings(data::load_xray_folders(shifted));
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Catch::Contains("xray/test differs from xray/train") && Catch::Contains("range"));
}

TEST_CASE("Fashion-MNIST splits are consistent", "[data][fashion-mnist]") {
    REQUIRE(fs::exists(data::fashion_mnist_dir));  // Debian's dataset-fashion-mnist, installed by cmake/setup.sh
    const data::splits s = data::load_fashion_mnist();
    CHECK(s.train.size() == 55000);
    CHECK(s.validation.size() == 5000);
    CHECK(s.test.size() == 10000);
    CHECK(data::split_shift_warnings(s).empty());
    const double distance = data::distribution_distance(s.train, s.test, 0.0, 1.0);
    INFO("train/test distribution distance " << distance);
    CHECK(distance < 0.01);
}

TEST_CASE("the split-shift recipe's test split is caught by the warning and keeps its labels", "[data][shift]") {
    const fs::path out = scratch("fmnist_split_shift");
    recipes::write_split_shift_idx(data::fashion_mnist_dir, out);
    const data::splits consistent = data::load_fashion_mnist(), shifted = data::load_fashion_mnist(out.string());
    CHECK((shifted.train.images == consistent.train.images));  // parenthesised: no stringification of the vectors
    CHECK((shifted.test.labels == consistent.test.labels));
    CHECK((shifted.test.images != consistent.test.images));
    const auto warnings = data::split_shift_warnings(shifted);
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Catch::Contains("fashion-mnist/test differs") && Catch::Contains("distribution"));
    CHECK(data::distribution_distance(shifted.train, shifted.test, 0.0, 1.0) > 0.3);

    // The same recipe on an X-ray root rewrites only the test PNGs.
    const fs::path xray = scratch("xray_example"), xray_shifted = scratch("xray_example_shifted");
    recipes::write_xray_example(xray, 4);
    recipes::write_split_shift_xray(xray, xray_shifted);
    const data::splits a = data::load_xray_folders(xray), b = data::load_xray_folders(xray_shifted);
    CHECK((a.train.images == b.train.images));
    CHECK((a.test.labels == b.test.labels));
    CHECK((a.test.images != b.test.images));
    CHECK(data::split_shift_warnings(a).empty());
}

namespace {
// Keys' cubic convolution with a = −0.5 (Catmull-Rom), half-pixel centres, clamped edges: the textbook
// interpolation stb must reproduce when enlarging.
float catmull_rom_at(const std::vector<float>& src, std::size_t h, std::size_t w, float fy, float fx) {
    const auto weight = [](float x) {
        x = std::abs(x);
        if (x <= 1.0f) return (1.5f * x - 2.5f) * x * x + 1.0f;
        if (x < 2.0f) return ((-0.5f * x + 2.5f) * x - 4.0f) * x + 2.0f;
        return 0.0f;
    };
    const long y0 = static_cast<long>(std::floor(fy)), x0 = static_cast<long>(std::floor(fx));
    float sum = 0.0f;
    for (long dy = -1; dy <= 2; ++dy)
        for (long dx = -1; dx <= 2; ++dx) {
            const long r = std::clamp(y0 + dy, 0L, long(h) - 1), c = std::clamp(x0 + dx, 0L, long(w) - 1);
            sum += weight(fy - float(y0 + dy)) * weight(fx - float(x0 + dx)) * src[std::size_t(r) * w + std::size_t(c)];
        }
    return sum;
}
}  // namespace

TEST_CASE("resize: enlarging interpolates (Catmull-Rom), shrinking filters instead of aliasing", "[data][resize]") {
    const std::size_t h = 13, w = 17;
    std::vector<float> smooth(h * w);
    for (std::size_t r = 0; r < h; ++r)
        for (std::size_t c = 0; c < w; ++c) smooth[r * w + c] = std::sin(0.4f * float(r)) + 0.05f * float(c * c);
    const std::vector<float> up = data::resize(smooth, h, w, 2 * h + 3, 3 * w);
    for (std::size_t r = 0; r < 2 * h + 3; ++r)
        for (std::size_t c = 0; c < 3 * w; ++c) {
            const float fy = (float(r) + 0.5f) * float(h) / float(2 * h + 3) - 0.5f, fx = (float(c) + 0.5f) * float(w) / float(3 * w) - 0.5f;
            INFO("at " << r << ", " << c);
            CHECK(up[r * 3 * w + c] == Approx(catmull_rom_at(smooth, h, w, fy, fx)).margin(1e-4));
        }
    // A one-pixel checkerboard has no content a 4x smaller image can hold: a proper filter gives its mean.
    std::vector<float> checker(64 * 64);
    for (std::size_t i = 0; i < checker.size(); ++i) checker[i] = float((i / 64 + i % 64) % 2);
    for (float v : data::resize(checker, 64, 64, 16, 16)) CHECK(v == Approx(0.5).margin(0.02));
    // Same size: a copy.
    CHECK(data::resize(smooth, h, w, h, w) == smooth);
}

TEST_CASE("loaders size the images to the network's declared input", "[data][resize]") {
    const fs::path dir = scratch("idx_64");
    write_idx_dir(dir, idx_damage::none);
    const auto images = (dir / "train-images-idx3-ubyte.gz").string(), labels = (dir / "train-labels-idx1-ubyte.gz").string();
    const data::dataset d32 = data::read_idx_pair(images, labels, ten, "t");
    const data::dataset d64 = data::read_idx_pair(images, labels, ten, "t", {64, 64, 1});
    REQUIRE(d64.sample == shape{64, 64, 1});
    REQUIRE(d64.images.size() == 12 * 64 * 64);
    CHECK(d64.labels == d32.labels);
    // The 64x64 image is the framed 32x32 one enlarged: 2x2 blocks average back to the 32x32 pixel
    // wherever the picture is smooth (inside the 28x28 gradient), and the frame stays dark.
    for (std::size_t r = 4; r < 28; r += 5)
        for (std::size_t c = 4; c < 28; c += 3) {
            const float* i64 = d64.images.data() + 64 * 64;
            const float block = (i64[2 * r * 64 + 2 * c] + i64[2 * r * 64 + 2 * c + 1] + i64[(2 * r + 1) * 64 + 2 * c] +
                                 i64[(2 * r + 1) * 64 + 2 * c + 1]) / 4.0f;
            CHECK(block == Approx(d32.images[1024 + r * 32 + c]).margin(0.01));
        }
    CHECK(d64.images[64 * 64] == 0.0f);
    const auto [lo, hi] = std::minmax_element(d64.images.begin(), d64.images.end());
    CHECK(*lo >= 0.0f);
    CHECK(*hi <= 1.0f);

    const fs::path root = scratch("xray_64");
    write_xray_dir(root);
    const data::splits s = data::load_xray_folders(root, {64, 64, 1});
    CHECK(s.train.sample == shape{64, 64, 1});
    CHECK(s.test.images.size() == s.test.size() * 64 * 64);
    CHECK_THROWS_WITH(data::load_xray_folders(root, {32, 32, 3}), Catch::Contains("grey"));
}

TEST_CASE("the committed X-ray example is what the recipe writes, and loads as 4 classes", "[data][xray]") {
    const fs::path committed = fs::path(STAG_SOURCE_DIR) / "data" / "xray-example", regenerated = scratch("xray_example_again");
    recipes::write_xray_example(regenerated, 3);
    std::size_t files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(committed)) {
        if (!entry.is_regular_file()) continue;
        ++files;
        const fs::path twin = regenerated / fs::relative(entry.path(), committed);
        INFO(entry.path());
        REQUIRE(fs::exists(twin));
        std::ifstream a(entry.path(), std::ios::binary), b(twin, std::ios::binary);
        CHECK((std::string(std::istreambuf_iterator<char>(a), {}) == std::string(std::istreambuf_iterator<char>(b), {})));
    }
    CHECK(files == 3 * 4 * 3);
    const data::splits s = data::load_xray_folders(committed);
    CHECK(s.train.size() == 12);
    CHECK(s.test.classes() == 4);
    CHECK(data::split_shift_warnings(s).empty());
}

TEST_CASE("a 16-bit PNG loads to the grey values of its 8-bit twin", "[data][xray][png16]") {
    const fs::path dir = scratch("png16");
    std::vector<std::uint8_t> eight(40 * 24);
    std::vector<std::uint16_t> sixteen(eight.size());
    for (std::size_t i = 0; i < eight.size(); ++i) {
        eight[i] = static_cast<std::uint8_t>((i * 37) % 256);
        sixteen[i] = static_cast<std::uint16_t>(std::min(65535, eight[i] * 257 + int(i % 7)));  // and some low-order noise
    }
    write_png_pixels(dir / "eight.png", 40, 24, eight.data());
    write_png16(dir / "sixteen.png", 40, 24, sixteen.data());
    const data::grey_image a = data::read_png_grey((dir / "eight.png").string()), b = data::read_png_grey((dir / "sixteen.png").string());
    REQUIRE(a.pixels.size() == b.pixels.size());
    for (std::size_t i = 0; i < a.pixels.size(); ++i) CHECK(std::abs(a.pixels[i] - b.pixels[i]) <= 1.0f);
    // Grey 64, 128, 192 stay where they are (linear-light decoding would give 136, 186, 224).
    const std::uint16_t greys[] = {64 * 257, 128 * 257, 192 * 257};
    write_png16(dir / "greys.png", 1, 3, greys);
    const data::grey_image g = data::read_png_grey((dir / "greys.png").string());
    CHECK(g.pixels == std::vector<float>{64.0f, 128.0f, 192.0f});
}

TEST_CASE("colour and alpha become grey as Keras' load_img(color_mode='grayscale') makes them", "[data][xray][png]") {
    const fs::path dir = scratch("png_colour");
    // PIL's convert("L"): L = (19595 R + 38470 G + 7471 B + 0x8000) >> 16, alpha ignored.
    const auto luma = [](int r, int g, int b) { return float((19595 * r + 38470 * g + 7471 * b + 0x8000) >> 16); };
    const std::uint8_t rgba[] = {100, 100, 100, 255,   // opaque grey: itself
                                 200, 100, 50, 255,    // opaque colour: its luma, 124
                                 200, 100, 50, 0,      // the same colour, transparent: the same (not black, not white)
                                 255, 255, 255, 128};  // half-transparent white: white
    write_png_pixels(dir / "rgba.png", 1, 4, rgba, PNG_FORMAT_RGBA);
    CHECK(data::read_png_grey((dir / "rgba.png").string()).pixels == std::vector<float>{100.0f, luma(200, 100, 50), luma(200, 100, 50), 255.0f});
    CHECK(luma(200, 100, 50) == 124.0f);
    // Pure green is 150 in PIL (149.685 rounded); linear-light conversion gives 220.
    const std::uint8_t rgb[] = {0, 255, 0, 0, 0, 255};
    write_png_pixels(dir / "rgb.png", 1, 2, rgb, PNG_FORMAT_RGB);
    CHECK(data::read_png_grey((dir / "rgb.png").string()).pixels == std::vector<float>{150.0f, luma(0, 0, 255)});
    const std::uint8_t grey_alpha[] = {37, 0, 210, 255};
    write_png_pixels(dir / "ga.png", 1, 2, grey_alpha, PNG_FORMAT_GA);
    CHECK(data::read_png_grey((dir / "ga.png").string()).pixels == std::vector<float>{37.0f, 210.0f});
}

TEST_CASE("the X-ray loader says what it skipped", "[data][xray]") {
    const fs::path root = scratch("xray_skips");
    write_xray_dir(root);
    std::ofstream(root / "train" / "notes.txt") << "labels were checked by hand";
    fs::create_directories(root / "train" / "raw");
    const data::splits s = data::load_xray_folders(root);
    CHECK_THAT(s.train.note, Catch::Contains("skipped 2 entries that are not .png files: notes.txt raw/"));
    CHECK(s.test.note.empty());
}
