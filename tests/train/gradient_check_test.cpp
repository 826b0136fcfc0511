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

ModelShape tiny_shape(Arch arch) { return test_shape(arch, 8, 12, 19, 7); }

Batch tiny_batch(Arch arch, int vocab) { return random_batch(arch, vocab, 2, 6, 7); }

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
