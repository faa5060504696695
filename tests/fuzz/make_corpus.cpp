// Writes the fuzzers' seed corpora with the tests' own fixture writers: `make_fuzz_corpus DIR` fills
// DIR/idx (gzip and plain IDX images and labels), DIR/png (8- and 16-bit, odd sizes), DIR/weights (a
// weights file and a checkpoint of the fuzzed network) and DIR/onnx (the ONNX export of fuzz_onnx's network).
#include <cstdio>

#include "../fixtures.hpp"
#include "stag/interop/onnx.hpp"
#include "stag/stag.hpp"

int main(int argc, char** argv) {
    using namespace stag::testing;
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_fuzz_corpus DIR\n");
        return 2;
    }
    const fs::path root = argv[1];
    fs::remove_all(root);
    write_bytes(root / "idx" / "images.gz", idx_images(3, 5, 4), true);
    write_bytes(root / "idx" / "images.idx", idx_images(2, 3, 3), false);
    write_bytes(root / "idx" / "labels.gz", idx_labels(7), true);
    write_bytes(root / "idx" / "labels.idx", idx_labels(4), false);
    write_png(root / "png" / "gradient.png", 9, 7, 255, 3);
    const std::vector<std::uint16_t> deep{0, 1000, 40000, 65535, 12345, 777};
    write_png16(root / "png" / "sixteen.png", 2, 3, deep.data());
    write_png_claiming(root / "png" / "claims_more.png", 300, 200);
    using net = stag::sequential<stag::input<1, 1, 4>, stag::dense<3>, stag::relu, stag::batch_norm<>, stag::dense<2>, stag::softmax>;
    stag::model<net> m(4);
    fs::create_directories(root / "weights");
    m.save((root / "weights" / "net.weights").string());
    stag::save_checkpoint((root / "weights" / "net.checkpoint").string(), net::signature(), "fuzz", m.network().all_tensors(),
                          m.optimizer().state(m.network().trainable_parameters()), {3, {}});
    using onnx_net = stag::sequential<stag::input<6, 6, 2>, stag::conv<3, stag::kernel<3, 3>, stag::same_padding>, stag::relu, stag::max_pool<2>,
                                      stag::batch_norm<>, stag::flatten, stag::dense<4>, stag::softmax>;  // fuzz_onnx.cpp's
    onnx_net o(1);
    fs::create_directories(root / "onnx");
    stag::save_onnx(o, (root / "onnx" / "net.onnx").string());
    return 0;
}
