#pragma once
// Everything needed to declare, train and run a network.
#include "stag/graph/model.hpp"
#include "stag/graph/sequential.hpp"
#include "stag/graph/summary.hpp"
#include "stag/layers/activation.hpp"
#include "stag/layers/batch_norm.hpp"
#include "stag/layers/conv2d.hpp"
#include "stag/layers/dense.hpp"
#include "stag/layers/dropout.hpp"
#include "stag/layers/flatten.hpp"
#include "stag/layers/input.hpp"
#include "stag/layers/max_pool.hpp"
#include "stag/layers/softmax.hpp"
