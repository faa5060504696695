// A user's project that writes and reads ONNX files through stag::interop, found by find_package(stag).
#include <cstdio>
#include <cstring>
#include <string>

#include "stag/interop/onnx.hpp"
#include "stag/stag.hpp"

using net = stag::sequential<stag::input<1, 1, 4>, stag::dense<3>, stag::relu, stag::dense<2>, stag::softmax>;

int main(int argc, char** argv) {
    const std::string path = std::string(argc > 1 ? argv[1] : ".") + "/consumer.onnx";
    stag::model<net> trained(8, stag::adam{}, 1), loaded(8, stag::adam{}, 2);
    stag::save_onnx(trained, path);
    stag::load_onnx(loaded, path);
    const auto& a = trained.network().layer<1>().value[0];
    const auto& b = loaded.network().layer<1>().value[0];
    const bool same = std::memcmp(a, b, 4 * 3 * sizeof(float)) == 0;
    std::printf("ONNX round trip through the installed stag::interop: %s\n", same ? "identical" : "DIFFERENT");
    return same ? 0 : 1;
}
