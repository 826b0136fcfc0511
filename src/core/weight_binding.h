// What every loader does with each weight it reads from a checkpoint.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>

#include "finite_check.h"
#include "model.h"
#include "safetensors.h"

namespace attnscope {

// Loads tensor `name` with the expected shape (Error naming the tensor and
// both shapes otherwise), scans it for NaN/Inf and keeps its mapping or
// converted copy alive in the model's storage.
const float* bind_weight(const TensorStore& store, Model& model, WeightScan& scan, const std::string& name,
                         std::initializer_list<std::int64_t> shape);

}  // namespace attnscope
