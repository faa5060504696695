// Must NOT compile: a user's loss that does not say where its gradient is taken. The test expects one line naming the member.
#include "stag/stag.hpp"

struct hinge {
    static std::string name() { return "hinge"; }
    static stag::kernels::batch_score score(const stag::kernels::scored_rows&, float*) { return {}; }
};

using net = stag::sequential<stag::input<4, 4, 1>, stag::flatten, stag::dense<3>, stag::softmax>;
static_assert(sizeof(stag::model<net, stag::adam, hinge>) > 0);
