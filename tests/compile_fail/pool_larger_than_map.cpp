// Must not compile: after two valid 3×3 convolutions a 6×6 map is 2×2, too small for a 3×3 pool.
#include "stag/stag.hpp"

using namespace stag;
using net = sequential<input<6, 6, 1>, conv2d<8, 3, 3, padding::valid>, relu, conv2d<8, 3, 3, padding::valid>, max_pool<3>>;

int main() { net n(1); }
