// Must NOT compile: ONNX export of a network with an activation of the user's own, which no ONNX op
// describes. The test expects the error to name the entry's index and spec.
#include "stag/interop/onnx.hpp"
#include "stag/stag.hpp"

struct softsign {
    static std::string name() { return "softsign"; }
    static stag::simd::vfloat apply(stag::simd::vfloat x) { return x / (stag::simd::vfloat(1.0f) + xsimd::abs(x)); }
    static stag::simd::vfloat derivative(stag::simd::vfloat y) { return (stag::simd::vfloat(1.0f) - xsimd::abs(y)) * (stag::simd::vfloat(1.0f) - xsimd::abs(y)); }
};

using net = stag::sequential<stag::input<4, 4, 1>, stag::flatten, stag::dense<3>, stag::activation<softsign>, stag::softmax>;

void export_it(net& n) { stag::save_onnx(n, "net.onnx"); }
