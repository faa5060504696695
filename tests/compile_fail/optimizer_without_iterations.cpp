// Must NOT compile: a user's optimizer without iterations(). The test expects one line naming the member.
#include "stag/stag.hpp"

struct plain_sgd {
    void setup(const std::vector<stag::parameter_ref>&) {}
    const stag::parameter_ref* step(const std::vector<stag::parameter_ref>&) { return nullptr; }
    std::vector<stag::parameter_ref> state(const std::vector<stag::parameter_ref>&) { return {}; }
    void restore_iterations(std::uint64_t) {}
    double current_learning_rate() const { return 0.01; }
};

using net = stag::sequential<stag::input<4, 4, 1>, stag::flatten, stag::dense<3>, stag::softmax>;
static_assert(sizeof(stag::model<net, plain_sgd>) > 0);
