// The analytic gradient of every parameter tensor, for both architectures,
// against central finite differences of the loss, all in double precision.
#include <cmath>
#include <iostream>

#include <gtest/gtest.h>

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
  Rng noise(11);
  // Far from the initial point, so norms, biases and GELU curvature all matter.
  for (size_t i = 0; i < init.size(); ++i) model.params[i] = init[i] + 0.3 * noise.normal();
  const Batch batch = tiny_batch(arch, shape.vocab_size);

  std::fill(model.grads.begin(), model.grads.end(), 0.0);
  const double loss = model.loss(batch, true);
  ASSERT_TRUE(std::isfinite(loss));
  const std::vector<double> analytic = model.grads;

  const double h = 1e-5;
  double worst = 0;
  std::string worst_name;
  for (const ParamInfo& p : model.layout().params) {
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
    // Every tensor takes part in the loss, so its gradient must not vanish.
    EXPECT_GT(std::sqrt(num2), 1e-8) << p.name;
    const double relative = std::sqrt(diff2) / std::max(std::sqrt(num2), std::sqrt(ana2));
    if (relative > worst) {
      worst = relative;
      worst_name = p.name;
    }
    EXPECT_LT(relative, 1e-3) << arch_name(arch) << " " << p.name << ": |numeric - analytic| / |numeric| = " << relative;
  }
  std::cout << arch_name(arch) << ": " << model.layout().params.size() << " tensors checked, worst relative error " << worst
            << " (" << worst_name << ")\n";
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
