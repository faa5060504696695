// Must NOT compile: a user's regulariser without lambda. The test expects one line naming the member.
#include "stag/stag.hpp"

struct l1_tenth {
    static constexpr bool active = true;
    static std::string name() { return "l1<0.1>"; }
    static double penalty(const float* w, std::size_t n) {
        double s = 0;
        for (std::size_t i = 0; i < n; ++i) s += std::abs(w[i]);
        return 0.1 * s;
    }
    static float gradient(float w) { return w > 0 ? 0.1f : -0.1f; }
};

using net = stag::sequential<stag::input<4, 4, 1>, stag::conv2d<2, 3, 3, stag::padding::same, 1, stag::glorot_uniform, l1_tenth>,
                             stag::flatten, stag::dense<3>, stag::softmax>;
static_assert(sizeof(net) > 0);
