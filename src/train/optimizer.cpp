#include "train/optimizer.h"

#include <cmath>

#include "core/error.h"

namespace attnscope::train {

double LrSchedule::at(int step) const {
  if (warmup_steps > 0 && step < warmup_steps) return peak * (step + 1) / warmup_steps;
  const int decay_steps = std::max(1, total_steps - warmup_steps);
  const double progress = std::min(1.0, static_cast<double>(step - warmup_steps) / decay_steps);
  const double cosine = 0.5 * (1.0 + std::cos(3.14159265358979323846 * progress));
  return peak * (min_ratio + (1.0 - min_ratio) * cosine);
}

void AdamW::update(std::vector<float>& params, const std::vector<float>& grads, const std::vector<ParamInfo>& tensors, double lr,
                   int step) {
  if (params.size() != m_.size() || grads.size() != m_.size())
    throw Error("AdamW: " + std::to_string(params.size()) + " parameters but state for " + std::to_string(m_.size()));
  const double t = step + 1;
  const float bias1 = static_cast<float>(1.0 - std::pow(config_.beta1, t));
  const float bias2 = static_cast<float>(1.0 - std::pow(config_.beta2, t));
  const float b1 = static_cast<float>(config_.beta1), b2 = static_cast<float>(config_.beta2);
  const float step_size = static_cast<float>(lr) / bias1;
  const float eps = static_cast<float>(config_.eps);
  // A plain loop rather than Eigen array expressions: Eigen's vectorised body
  // and scalar edges round differently, so the result would depend on each
  // array's alignment in memory and a resumed run would drift from the original.
  const float one_minus_b1 = 1.0f - b1, one_minus_b2 = 1.0f - b2, inv_bias2 = 1.0f / bias2;
  for (const ParamInfo& p : tensors) {
    float* w = params.data() + p.offset;
    float* m = m_.data() + p.offset;
    float* v = v_.data() + p.offset;
    const float* g = grads.data() + p.offset;
    // Decoupled decay shrinks the weight itself, not the gradient.
    const float keep = p.decay ? static_cast<float>(1.0 - lr * config_.weight_decay) : 1.0f;
    for (std::size_t i = 0; i < p.size; ++i) {
      m[i] = b1 * m[i] + one_minus_b1 * g[i];
      v[i] = b2 * v[i] + one_minus_b2 * g[i] * g[i];
      w[i] = w[i] * keep - step_size * m[i] / (std::sqrt(v[i] * inv_bias2) + eps);
    }
  }
}

double clip_grad_norm(std::vector<float>& grads, double max_norm) {
  double sum = 0;
  for (float g : grads) sum += static_cast<double>(g) * g;
  const double norm = std::sqrt(sum);
  if (max_norm > 0 && norm > max_norm) {
    const float scale = static_cast<float>(max_norm / (norm + 1e-6));
    for (float& g : grads) g *= scale;
  }
  return norm;
}

}  // namespace attnscope::train
