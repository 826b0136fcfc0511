// A small seeded generator with the same output on every platform (the
// standard distributions are implementation-defined), so corpora, masks,
// batches and initial weights are reproducible from a seed.
#pragma once
#include <cmath>
#include <cstdint>

namespace attnscope::train {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ull + 0xD1B54A32D192ED03ull) {}
  // Independent streams for (seed, step) or (seed, item) pairs.
  Rng(std::uint64_t seed, std::uint64_t stream) : Rng(mix(seed) ^ mix(stream + 0x632BE59BD9B4E019ull)) {}

  std::uint64_t next() {  // splitmix64
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); n > 0.
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  int index(std::size_t n) { return static_cast<int>(below(n)); }
  double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
  bool chance(double p) { return uniform() < p; }
  double normal() {  // Box-Muller
    const double u1 = 1.0 - uniform(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  template <class Container>
  const auto& pick(const Container& c) { return c[below(c.size())]; }

 private:
  static std::uint64_t mix(std::uint64_t x) {
    x = (x ^ (x >> 33)) * 0xFF51AFD7ED558CCDull;
    x = (x ^ (x >> 33)) * 0xC4CEB9FE1A85EC53ull;
    return x ^ (x >> 33);
  }
  std::uint64_t state_;
};

}  // namespace attnscope::train
