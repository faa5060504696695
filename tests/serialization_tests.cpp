// Weight files: round trip, and refusal of foreign, truncated or damaged files with a clear reason.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "stag/stag.hpp"

using namespace stag;

namespace {
using small_net = sequential<input<1, 1, 6>, dense<5, he_normal>, relu, batch_norm<>, dense<3>, softmax>;
using wider_net = sequential<input<1, 1, 6>, dense<7, he_normal>, relu, batch_norm<>, dense<3>, softmax>;

std::string temp_path(const std::string& name) { return (std::filesystem::temp_directory_path() / ("stag_" + name)).string(); }

std::vector<float> all_values(small_net& net) {
    std::vector<float> v;
    for (const parameter_ref& t : net.all_tensors()) v.insert(v.end(), t.value, t.value + t.size);
    return v;
}

std::string load_error(const std::string& path) {
    model<small_net> m(4, adam{}, 99);
    try {
        m.load(path);
    } catch (const file_error& e) {
        CHECK(e.path() == path);
        return e.what();
    }
    return "";
}
}  // namespace

TEST_CASE("weights round-trip exactly", "[serialization]") {
    const std::string path = temp_path("roundtrip.weights");
    model<small_net> a(4, adam{}, 1), b(4, adam{}, 2);
    a.save(path);
    REQUIRE(all_values(a.network()) != all_values(b.network()));
    b.load(path);
    CHECK(all_values(a.network()) == all_values(b.network()));
}

TEST_CASE("weights of another network, or damaged files, are refused", "[serialization]") {
    const std::string path = temp_path("other.weights");
    model<wider_net>(4, adam{}, 1).save(path);
    CHECK_THAT(load_error(path), Catch::Contains("weights belong to another network") && Catch::Contains("dense<7, he_normal>"));

    model<small_net>(4, adam{}, 1).save(path);
    std::string bytes;
    {
        std::ifstream in(path, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    const auto write = [&](const std::string& content) { std::ofstream(path, std::ios::binary | std::ios::trunc) << content; };

    write(bytes.substr(0, bytes.size() - 9));
    CHECK_THAT(load_error(path), Catch::Contains("damaged") || Catch::Contains("truncated"));
    std::string flipped = bytes;
    flipped[bytes.size() - 20] ^= 0x40;
    write(flipped);
    CHECK_THAT(load_error(path), Catch::Contains("damaged (checksum mismatch)"));
    write("PNG and not weights at all");
    CHECK_THAT(load_error(path), Catch::Contains("bad magic"));
    CHECK_THAT(load_error(temp_path("missing.weights")), Catch::Contains("cannot open"));
}
