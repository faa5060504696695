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
    // Hostile inputs: a PNG header claiming 65535×65535 pixels; IDX gzip bombs of 1 GiB of zeros, one whose
    // header promises 60,000 images (the rest is surplus) and one whose header promises it all.
    write_xray_dir(root / "xray_huge_header");
    write_png_claiming(root / "xray_huge_header" / "train" / "huge_b.png", 65535, 65535);
    write_gzip_bomb_dir(root / "idx_bomb_surplus", 60000, std::uint64_t{1} << 30);
    write_gzip_bomb_dir(root / "idx_bomb_header", static_cast<std::uint32_t>((std::uint64_t{1} << 30) / 784), std::uint64_t{1} << 30);
    return 0;
}
