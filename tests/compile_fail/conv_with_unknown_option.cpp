// Must NOT compile: a conv option of no kind conv takes (a dense layer). The test expects the line naming it.
#include "stag/stag.hpp"

using net = stag::sequential<stag::input<8, 8, 1>, stag::conv<4, stag::kernel<3, 3>, stag::dense<4>>, stag::flatten, stag::dense<3>, stag::softmax>;
static_assert(sizeof(net) > 0);
