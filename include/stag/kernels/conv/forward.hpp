#pragma once
// Convolution forward: y = epilogue(conv(x, w)), the direct kernel over the padded input.
#include <cassert>
#include <cstddef>

#include "stag/kernels/conv/direct.hpp"

namespace stag::kernels {

struct conv_forward_tensors {
    const float* x;  // N × in_h × in_w × C
    const float* w;  // HWIO
    float* y;        // N × out_h × out_w × F
    float* frame;    // input_frame_floats(): receives the padded input, which conv_backward_weights reads
};

inline std::size_t conv_forward_workspace_floats(const conv_geometry& g) { return detail::packed_filter_floats(g.patch(), g.filters); }

template <output_epilogue Epilogue>
void conv_forward(const conv_geometry& g, const conv_forward_tensors& t, float* workspace, const Epilogue& epilogue) {
    assert(g.consistent() && t.x && t.w && t.y && t.frame && workspace);
    detail::embed_in_frames(t.x, {g.batch, g.in_h, g.in_w, g.channels}, t.frame, {g.frame_h(), g.frame_w(), g.pad_top, g.pad_left, 1});
    detail::pack_filters(g.patch(), g.patch(), g.filters, [&](std::size_t k) { return std::pair{t.w + k * g.filters, std::ptrdiff_t{1}}; },
                         workspace);
    detail::direct_conv c = detail::input_view(g, t.frame);
    c.packed = workspace;
    c.out = t.y;
    detail::run_direct_conv(c, epilogue);
}

}  // namespace stag::kernels
