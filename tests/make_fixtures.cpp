// Writes the data sets the binaries' CTest cases run on: `make_fixtures DIR`.
#include <cstdio>

#include "fixtures.hpp"

int main(int argc, char** argv) {
    using namespace stag::testing;
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_fixtures DIR\n");
        return 2;
    }
    const fs::path root = argv[1];
    fs::remove_all(root);
    write_idx_dir(root / "idx_truncated", idx_damage::truncated_gzip);
    write_idx_dir(root / "idx_wrong_magic", idx_damage::wrong_magic);
    write_idx_dir(root / "idx_wrong_dimensions", idx_damage::wrong_dimensions);
    write_idx_dir(root / "idx_count_mismatch", idx_damage::count_mismatch);
    write_xray_dir(root / "xray_good", 255, 12);
    write_xray_dir(root / "xray_shifted", 1);
    write_xray_dir(root / "xray_bad_letter");
    write_png(root / "xray_bad_letter" / "train" / "patch_q.png", 32, 32, 255, 1);
    write_xray_dir(root / "xray_bad_png");
    std::ofstream(root / "xray_bad_png" / "test" / "broken_c.png") << "not a png";
    return 0;
}
