// libFuzzer target: the PNG reader of the X-ray loader, then the resampling to the network's input, on
// arbitrary bytes. Every input must end in an image or a stag::file_error.
#include <cstddef>
#include <cstdint>

#include "stag/data/resize.hpp"
#include "stag/data/xray.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::vector<std::uint8_t> bytes(data, data + size);
    try {
        const stag::data::grey_image g = stag::data::parse_png_grey(bytes, "fuzz");
        if (g.pixels.size() != g.height * g.width) __builtin_trap();
        std::vector<float> resized(32 * 32);
        stag::data::resize_into(g.pixels.data(), g.height, g.width, resized.data(), 32, 32);
    } catch (const stag::file_error&) {
    }
    return 0;
}
