// Must NOT compile: dense needs a flat input. The test expects the error to name layer 1, dense<300>
// and the 32×32×1 shape it was given.
#include "stag/stag.hpp"

int main() {
    stag::sequential<stag::input<32, 32, 1>, stag::dense<300>, stag::relu> net(8);
    return static_cast<int>(net.max_batch());
}
