// libFuzzer target: the ONNX reader and import (stag::interop), into a network with a conv, a pool, batch norm,
// a flatten that reorders a dense kernel's rows and a softmax, on arbitrary bytes. Every input must load or
// end in a stag::file_error, and a refused file must change no weight.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "stag/interop/impl/onnx_graph.hpp"
#include "stag/interop/onnx.hpp"
#include "stag/stag.hpp"

namespace {
using net = stag::sequential<stag::input<6, 6, 2>, stag::conv<3, stag::kernel<3, 3>, stag::same_padding>, stag::relu, stag::max_pool<2>,
                             stag::batch_norm<>, stag::flatten, stag::dense<4>, stag::softmax>;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static net n(1);
    static const stag::network_view view = stag::view_of(n);
    const std::vector<stag::parameter_ref>& tensors = n.all_tensors();
    std::vector<float> before;
    for (const stag::parameter_ref& t : tensors) before.insert(before.end(), t.value, t.value + t.size);
    try {
        stag::onnx_io::load_onnx_bytes(view, std::string(reinterpret_cast<const char*>(data), size), stag::onnx_io::file_context("fuzz.onnx"));
    } catch (const stag::file_error&) {
        std::size_t at = 0;
        for (const stag::parameter_ref& t : tensors) {
            if (std::memcmp(t.value, before.data() + at, t.size * sizeof(float)) != 0) __builtin_trap();
            at += t.size;
        }
    }
    return 0;
}
