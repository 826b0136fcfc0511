// Where the time of one forward pass goes. The pass is re-enacted step by step
// from the public building blocks (core/ops.h) with the same calls, shapes and
// captures as core/forward.cpp, with a clock around each step; comparing its
// total with run_tokens' time shows the re-enactment is faithful.
#pragma once
#include <string>
#include <vector>

#include "core/model.h"

namespace attnscope::bench {

struct Breakdown {
  // Wall-clock seconds of one pass, by step.
  double embed = 0;          // embeddings
  double copies = 0;         // residual snapshots, norm inputs, residual adds
  double norms = 0;          // every LayerNorm / RMSNorm incl. the final one
  double qkv = 0;            // q, k, v projections
  double attention = 0;      // mask, per-head captures, scores, softmax, probs·v
  double out_proj = 0;       // attention output projection
  double mlp_linear = 0;     // up (+ gate) and down projections
  double activation = 0;     // GELU / SiLU
  double lm_head = 0;        // logits for every position
  double top_k = 0;          // softmax sums + top-k + display strings per position
  double total = 0;          // the whole re-enacted pass

  // Inside the attention step, thread-seconds summed over heads (the heads run
  // on every core, so these add up to about cores × `attention`).
  double head_copies = 0;    // q/k/v captures and the context copy
  double head_scores = 0;    // q·kᵀ·scale
  double head_softmax = 0;   // + mask, softmax
  double head_pv = 0;        // probs·v
  double mask_build = 0;     // wall-clock: building the [T, T] additive mask

  double linear_total() const { return qkv + out_proj + mlp_linear; }
};

// One timed re-enactment of run_tokens with default RunOptions (no
// interventions, top-k = 5 at every position).
Breakdown time_forward_steps(const Model& model, const std::vector<int>& token_ids);

// Element-wise median over several breakdowns.
Breakdown median_breakdown(const std::vector<Breakdown>& runs);

}  // namespace attnscope::bench
