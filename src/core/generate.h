// Text generation for causal models, following llama2.c run.c's conventions:
// the prompt ids come from encode() (beginning with BOS), `steps` counts
// positions including the prompt's, and generation stops when the model
// produces BOS, which delimits sequences in llama2.c's training data.
//
// Each step re-runs the whole prefix through run_tokens(), which is fine for
// small models; a KV cache would make a step O(T) instead of O(T^2).
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "model.h"
#include "tokenizer.h"

namespace attnscope {

struct SamplingOptions {
  float temperature = 0.0f;  // 0 = greedy argmax (the first maximum wins ties)
  float top_p = 0.9f;        // nucleus sampling; <= 0 or >= 1 samples from the whole distribution
  std::uint64_t seed = 1;    // run.c's xorshift state; 0 is replaced by a fixed non-zero value
};

// Called with each new id; return false to stop after it.
using TokenCallback = std::function<bool(int id)>;

// Returns the prompt followed by the generated ids (without the BOS that
// ended generation). At most `steps` positions run (clamped to the model's
// max_positions), so the result has at most steps + 1 ids, like run.c's output.
// Throws Error for an empty prompt or an id outside the vocabulary; a set
// `cancel` makes the forward pass throw Cancelled.
std::vector<int> generate(const std::shared_ptr<const Model>& model, std::vector<int> prompt_ids, int steps,
                          const SamplingOptions& sampling, const TokenCallback& on_token = {},
                          const std::atomic<bool>* cancel = nullptr);

std::vector<int> generate_greedy(const std::shared_ptr<const Model>& model, std::vector<int> prompt_ids, int steps,
                                 const TokenCallback& on_token = {}, const std::atomic<bool>* cancel = nullptr);

// One draw from `logits` [V] as run.c's sample() does it, advancing `rng_state`.
int sample_next(std::span<const float> logits, const SamplingOptions& sampling, std::uint64_t& rng_state);

// Text of `ids` as run.c prints it: BOS and EOS are skipped, a piece that
// follows BOS loses its leading space, byte tokens become raw bytes.
std::string decode_generated(const Tokenizer& tokenizer, const std::vector<int>& ids);

}  // namespace attnscope
