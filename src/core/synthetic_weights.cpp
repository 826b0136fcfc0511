#include "core/synthetic_weights.h"

#include <cmath>

namespace attnscope {

NamedTensor random_tensor(std::string name, std::vector<std::int64_t> shape, FastUniform& rng) {
  std::int64_t n = 1;
  for (std::int64_t d : shape) n *= d;
  const float half_width = 0.02f * std::sqrt(3.0f);  // uniform [-a, a] has std a/√3
  NamedTensor t{std::move(name), std::move(shape), std::vector<float>(static_cast<size_t>(n)), DType::F32};
  for (float& v : t.data) v = rng.next() * half_width;
  return t;
}

NamedTensor constant_tensor(std::string name, std::int64_t n, float value) {
  return NamedTensor{std::move(name), {n}, std::vector<float>(static_cast<size_t>(n), value), DType::F32};
}

}  // namespace attnscope
