// libFuzzer target: the weight-file and checkpoint readers, into a small network, on arbitrary bytes.
// Every input must load or end in a stag::file_error, and a refused file must change no weight.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "stag/stag.hpp"

namespace {
using net = stag::sequential<stag::input<1, 1, 4>, stag::dense<3>, stag::relu, stag::batch_norm<>, stag::dense<2>, stag::softmax>;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static stag::model<net> m(4);
    const std::vector<unsigned char> bytes(data, data + size);
    const std::vector<stag::parameter_ref>& tensors = m.network().all_tensors();
    std::vector<float> before;
    for (const stag::parameter_ref& t : tensors) before.insert(before.end(), t.value, t.value + t.size);
    const auto unchanged = [&] {
        std::size_t at = 0;
        for (const stag::parameter_ref& t : tensors) {
            if (std::memcmp(t.value, before.data() + at, t.size * sizeof(float)) != 0) return false;
            at += t.size;
        }
        return true;
    };
    try {
        stag::parse_weights(bytes, "fuzz", net::signature(), tensors);
    } catch (const stag::file_error&) {
        if (!unchanged()) __builtin_trap();
    }
    try {
        stag::parse_checkpoint(bytes, "fuzz", net::signature(), "fuzz", tensors, m.optimizer().state(m.network().trainable_parameters()));
    } catch (const stag::file_error&) {
    }
    return 0;
}
