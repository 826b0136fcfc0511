// The finite-difference check both trainers' models go through: central
// differences of the double-precision loss against the analytic gradient,
// tensor by tensor, so a wrong backward names the tensor it is wrong for.
#pragma once
#include <algorithm>
#include <cmath>
#include <iostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "train/rng.h"
#include "train/transformer.h"

namespace attnscope::train {

// A model shape for the tests: 2 layers, 2 heads, the given widths.
inline ModelShape test_shape(Arch arch, int dim, int ffn_dim, int vocab_size, int max_positions) {
  ModelShape s;
  s.arch = arch;
  s.n_layers = 2;
  s.n_heads = 2;
  s.dim = dim;
  s.ffn_dim = ffn_dim;
  s.vocab_size = vocab_size;
  s.max_positions = max_positions;
  s.norm_eps = arch == Arch::Gpt ? 1e-5 : 1e-12;
  return s;
}

// Random ids (and BERT token types) for batch × tokens rows. The causal LM
// predicts every row, the masked LM two rows in three.
inline Batch random_batch(Arch arch, int vocab, int batch, int tokens, std::uint64_t seed) {
  Rng rng(seed);
  Batch b;
  b.batch = batch;
  b.tokens = tokens;
  for (int i = 0; i < b.batch * b.tokens; ++i) {
    b.ids.push_back(rng.index(static_cast<size_t>(vocab)));
    b.types.push_back(arch == Arch::Bert ? rng.index(2) : 0);
    const bool has_target = arch == Arch::Gpt || i % 3 != 1;
    b.targets.push_back(has_target ? rng.index(static_cast<size_t>(vocab)) : -1);
  }
  if (arch == Arch::Gpt) b.types.clear();
  return b;
}

// Moves the model far from its initial point (so norms, biases and
// activation curvature all matter), then checks every tensor of its layout.
template <class Model, class Batch>
void check_every_tensor_of(Model& model, const std::vector<float>& init, const Batch& batch, const std::string& label) {
  Rng noise(11);
  for (size_t i = 0; i < init.size(); ++i) model.params[i] = init[i] + 0.3 * noise.normal();
  std::fill(model.grads.begin(), model.grads.end(), 0.0);
  ASSERT_TRUE(std::isfinite(model.loss(batch, true)));
  const std::vector<double> analytic = model.grads;
  const double h = 1e-5;
  double worst = 0;
  std::string worst_name;
  for (const auto& p : model.layout().params) {
    double diff2 = 0, num2 = 0, ana2 = 0;
    for (size_t i = p.offset; i < p.offset + p.size; ++i) {
      const double saved = model.params[i];
      model.params[i] = saved + h;
      const double up = model.loss(batch, false);
      model.params[i] = saved - h;
      const double down = model.loss(batch, false);
      model.params[i] = saved;
      const double numeric = (up - down) / (2 * h);
      diff2 += (numeric - analytic[i]) * (numeric - analytic[i]);
      num2 += numeric * numeric;
      ana2 += analytic[i] * analytic[i];
    }
    EXPECT_GT(std::sqrt(num2), 1e-8) << label << " " << p.name;  // every tensor takes part in the loss
    const double relative = std::sqrt(diff2) / std::max(std::sqrt(num2), std::sqrt(ana2));
    if (relative > worst) {
      worst = relative;
      worst_name = p.name;
    }
    EXPECT_LT(relative, 1e-3) << label << " " << p.name << ": |numeric - analytic| / |numeric| = " << relative;
  }
  std::cout << label << ": " << model.layout().params.size() << " tensors checked, worst relative error " << worst << " (" << worst_name
            << ")\n";
}

}  // namespace attnscope::train
