// Must NOT compile: a user's layer spec without name(). The test expects one line naming the member.
#include "stag/stag.hpp"

struct doubler : stag::shape_preserving {
    template <stag::shape In>
    struct bind : stag::parameterless<In> {
        void forward(const stag::step_context& ctx, const float* x, float* y) const {
            for (std::size_t i = 0; i < ctx.batch * In.size(); ++i) y[i] = 2 * x[i];
        }
        void backward(const stag::step_context& ctx, const float*, const float*, float* dy, float* dx) const {
            for (std::size_t i = 0; i < ctx.batch * In.size(); ++i) dx[i] = 2 * dy[i];
        }
    };
};

using net = stag::sequential<stag::input<4, 4, 1>, stag::flatten, doubler, stag::dense<3>, stag::softmax>;
static_assert(sizeof(net) > 0);
