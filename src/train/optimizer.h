// AdamW with decoupled weight decay (Loshchilov & Hutter), linear warmup then
// cosine decay of the learning rate, and global-norm gradient clipping.
#pragma once
#include <vector>

#include "train/param_layout.h"

namespace attnscope::train {

struct AdamWConfig {
  double beta1 = 0.9;
  double beta2 = 0.98;
  double eps = 1e-8;
  double weight_decay = 0.01;  // matrices only; biases, norms and embeddings are not decayed
};

struct LrSchedule {
  double peak = 1e-3;
  double min_ratio = 0.1;  // the cosine ends at peak * min_ratio
  int warmup_steps = 100;
  int total_steps = 1000;
  double at(int step) const;  // step counts from 0
};

class AdamW {
 public:
  AdamW() = default;
  AdamW(std::size_t n_params, const AdamWConfig& config) : config_(config), m_(n_params, 0.0f), v_(n_params, 0.0f) {}

  // One update with learning rate lr; `step` is the number of updates done before.
  // `tensors` says which spans take weight decay.
  void update(std::vector<float>& params, const std::vector<float>& grads, const std::vector<ParamInfo>& tensors, double lr, int step);
  void update(std::vector<float>& params, const std::vector<float>& grads, const ParamLayout& layout, double lr, int step) {
    update(params, grads, layout.params, lr, step);
  }

  std::vector<float>& first_moment() { return m_; }
  std::vector<float>& second_moment() { return v_; }
  const std::vector<float>& first_moment() const { return m_; }
  const std::vector<float>& second_moment() const { return v_; }

 private:
  AdamWConfig config_;
  std::vector<float> m_, v_;
};

// Scales grads so their global L2 norm is at most max_norm (no-op when
// max_norm <= 0). Returns the norm before clipping.
double clip_grad_norm(std::vector<float>& grads, double max_norm);

}  // namespace attnscope::train
