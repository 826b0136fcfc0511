// Finding NaN and Inf, so that a broken checkpoint or an overflowing layer is
// named instead of turning every later number into NaN without a word.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace attnscope {

struct AttentionSnapshot;

// Index of the first NaN or ±Inf among `count` floats, or nullopt. Tests the
// exponent bits in blocks, a loop compilers vectorise, so scanning a whole
// checkpoint at load costs about as much as reading it once.
std::optional<std::size_t> first_non_finite(const float* data, std::size_t count);

// "nan", "inf" or "-inf" for a non-finite value.
std::string non_finite_name(float value);

// Records the first non-finite weight of a model's tensors, by name, as one
// warning; later bad tensors are only counted.
class WeightScan {
 public:
  void scan(const std::string& tensor_name, const float* data, std::size_t count);
  // Empty when every value was finite.
  std::vector<std::string> warnings(const std::string& source) const;

 private:
  std::string first_;  // "tensor 'x' holds nan at element 7"
  int bad_tensors_ = 0;
};

// The first non-finite value of a forward pass: in which layer's residual
// stream or attention, at which token position. Empty when all are finite.
std::vector<std::string> snapshot_non_finite_warnings(const AttentionSnapshot& snapshot);

}  // namespace attnscope
