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

namespace attnscope::train {

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
