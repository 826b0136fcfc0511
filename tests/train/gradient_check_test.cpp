// The analytic gradient of every parameter tensor, for both architectures,
// against central finite differences of the loss, all in double precision.
#include <cmath>
#include <iostream>

#include <gtest/gtest.h>

#include "gradient_check_support.h"

#include "train/rng.h"
#include "train/transformer.h"

namespace attnscope::train {
namespace {

ModelShape tiny_shape(Arch arch) {
  ModelShape s;
  s.arch = arch;
  s.n_layers = 2;
  s.n_heads = 2;
  s.dim = 8;
  s.ffn_dim = 12;
  s.vocab_size = 19;
  s.max_positions = 7;
  s.norm_eps = arch == Arch::Gpt ? 1e-5 : 1e-12;
  return s;
}

Batch tiny_batch(Arch arch, int vocab) {
  Rng rng(7);
  Batch b;
  b.batch = 2;
  b.tokens = 6;
  for (int i = 0; i < b.batch * b.tokens; ++i) {
    b.ids.push_back(rng.index(static_cast<size_t>(vocab)));
    b.types.push_back(arch == Arch::Bert ? rng.index(2) : 0);
    // MLM predicts some rows only; the causal LM predicts every row.
    const bool has_target = arch == Arch::Gpt || i % 3 != 1;
    b.targets.push_back(has_target ? rng.index(static_cast<size_t>(vocab)) : -1);
  }
  if (arch == Arch::Gpt) b.types.clear();
  return b;
}

void check_every_tensor(Arch arch) {
  const ModelShape shape = tiny_shape(arch);
  Transformer<double> model(shape);
  const std::vector<float> init = initial_params(shape, model.layout(), 3);
  check_every_tensor_of(model, init, tiny_batch(arch, shape.vocab_size), arch_name(arch));
}

TEST(GradientCheck, GptEveryParameterTensor) { check_every_tensor(Arch::Gpt); }

TEST(GradientCheck, BertEveryParameterTensor) { check_every_tensor(Arch::Bert); }

TEST(GradientCheck, FloatLossMatchesDouble) {
  for (Arch arch : {Arch::Gpt, Arch::Bert}) {
    const ModelShape shape = tiny_shape(arch);
    Transformer<float> f(shape);
    Transformer<double> d(shape);
    f.params = initial_params(shape, f.layout(), 5);
    d.params.assign(f.params.begin(), f.params.end());
    const Batch batch = tiny_batch(arch, shape.vocab_size);
    EXPECT_NEAR(f.loss(batch, false), d.loss(batch, false), 1e-5) << arch_name(arch);
  }
}

}  // namespace
}  // namespace attnscope::train
