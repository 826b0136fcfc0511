// Random weights for the benchmark checkpoints (synthetic_gpt2, synthetic_bert):
// fast, seeded, and of the scale a trained model's weights have.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/safetensors_writer.h"

namespace attnscope {

// xorshift64*: 124M values in well under a second, where std::normal_distribution
// would take most of a minute. Only the scale of the weights matters here.
struct FastUniform {
  std::uint64_t state;
  explicit FastUniform(std::uint64_t seed) : state(seed ? seed : 0x9E3779B97F4A7C15ull) {}
  float next() {  // uniform in [-1, 1)
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    const std::uint64_t r = state * 0x2545F4914F6CDD1Dull;
    return static_cast<float>(r >> 40) * (2.0f / 16777216.0f) - 1.0f;
  }
};

// Uniform values with standard deviation 0.02.
NamedTensor random_tensor(std::string name, std::vector<std::int64_t> shape, FastUniform& rng);
NamedTensor constant_tensor(std::string name, std::int64_t n, float value);

}  // namespace attnscope
