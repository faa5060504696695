// libFuzzer target: the IDX reader (gzip and plain), images and labels, on arbitrary bytes. Every input
// must end in a result or a stag::file_error — no crash, no sanitizer report, no huge allocation.
#include <cstddef>
#include <cstdint>

#include "stag/data/idx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::vector<std::uint8_t> bytes(data, data + size);
    try {
        const stag::data::idx_images images = stag::data::parse_idx_images(bytes, "fuzz");
        if (images.pixels.size() != images.count * images.rows * images.cols) __builtin_trap();
    } catch (const stag::file_error&) {
    }
    try {
        stag::data::parse_idx_labels(bytes, "fuzz");
    } catch (const stag::file_error&) {
    }
    return 0;
}
