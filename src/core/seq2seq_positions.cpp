// Position information of the encoder-decoder families: Marian's fixed
// sinusoid table and T5's relative position buckets.
#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "encoder_decoder.h"

namespace attnscope {

std::vector<float> marian_sinusoid_table(int positions, int dim) {
  std::vector<float> table(static_cast<std::size_t>(positions) * static_cast<std::size_t>(dim), 0.0f);  // [P, D]
  const int half = dim / 2;
  for (int p = 0; p < positions; ++p)
    for (int k = 0; k < half; ++k) {
      // All sines in the first half, all cosines in the second (not interleaved).
      const double angle = p / std::pow(10000.0, 2.0 * k / dim);
      table[static_cast<std::size_t>(p) * dim + k] = static_cast<float>(std::sin(angle));
      table[static_cast<std::size_t>(p) * dim + half + k] = static_cast<float>(std::cos(angle));
    }
  return table;
}

int relative_position_bucket(int relative, bool bidirectional, int num_buckets, int max_distance) {
  int bucket = 0;
  int n = 0;
  if (bidirectional) {
    num_buckets /= 2;
    if (relative > 0) bucket += num_buckets;  // the key comes after the query
    n = std::abs(relative);
  } else {
    n = std::max(-relative, 0);  // keys after the query are masked anyway
  }
  const int max_exact = num_buckets / 2;
  if (n < max_exact) return bucket + n;
  // Logarithmically wider buckets up to max_distance, in float32 and truncated, as transformers does.
  const float scaled = std::log(static_cast<float>(n) / static_cast<float>(max_exact)) /
                       std::log(static_cast<float>(max_distance) / static_cast<float>(max_exact)) *
                       static_cast<float>(num_buckets - max_exact);
  return bucket + std::min(max_exact + static_cast<int>(scaled), num_buckets - 1);
}

}  // namespace attnscope
