// A user's project: found through find_package(stag) after `cmake --install`.
#include <cstdio>

#include "stag/stag.hpp"

using net = stag::sequential<stag::input<1, 1, 4>, stag::dense<3>, stag::relu, stag::dense<2>, stag::softmax>;
static_assert(net::parameter_count == (4 * 3 + 3) + (3 * 2 + 2));

int main() {
    stag::model<net> m(8);
    std::fputs(stag::summary<net>("consumer").c_str(), stdout);
    return 0;
}
