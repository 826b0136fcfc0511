#include "weight_binding.h"

namespace attnscope {

const float* bind_weight(const TensorStore& store, Model& model, WeightScan& scan, const std::string& name,
                         std::initializer_list<std::int64_t> shape) {
  FloatTensor t = store.load(name, shape);
  std::size_t count = 1;
  for (std::int64_t d : shape) count *= static_cast<std::size_t>(d);
  scan.scan(name, t.data, count);
  model.storage.push_back(t.owner);
  return t.data;
}

}  // namespace attnscope
