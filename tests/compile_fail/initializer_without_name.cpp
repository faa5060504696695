// Must NOT compile: a user's initializer without name(). The test expects one line naming the member.
#include "stag/stag.hpp"

struct constant_half {
    static void fill(stag::rng&, float* w, std::size_t n, std::size_t, std::size_t) { std::fill(w, w + n, 0.5f); }
};

using net = stag::sequential<stag::input<4, 4, 1>, stag::flatten, stag::dense<3, constant_half>, stag::softmax>;
static_assert(sizeof(net) > 0);
