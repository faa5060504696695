// Must NOT compile: a user's activation function without derivative(). The test expects one line naming
// the member.
#include "stag/stag.hpp"

struct softsign {
    static std::string name() { return "softsign"; }
    static stag::simd::vfloat apply(stag::simd::vfloat x) { return x / (stag::simd::vfloat(1.0f) + xsimd::abs(x)); }
};

using net = stag::sequential<stag::input<4, 4, 1>, stag::flatten, stag::dense<3>, stag::activation<softsign>, stag::softmax>;
static_assert(sizeof(net) > 0);
