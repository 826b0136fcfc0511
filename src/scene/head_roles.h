// What each head tends to do, as a handful of scores per head: how much
// weight goes to the previous token, the next token, the first token and the
// query itself, how spread out its rows are, and whether it completes a
// repeated sequence (an induction head).
//
// Shape legend: L layers, H heads, T tokens, n probe length.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/snapshot.h"

namespace attnscope {

struct HeadRoles {
  int layer = 0, head = 0;
  double previous = 0;   // mean P(i, i-1) over queries i >= 1
  double next = 0;       // mean P(i, i+1) over queries i <= T-2
  double first = 0;      // mean P(i, 0) over queries i >= 1 (query 0 on itself is not a sink)
  double self = 0;       // mean P(i, i) over every query
  double entropy = 0;    // mean over queries of -sum_j P(i, j) ln P(i, j), in nats; all-zero rows skipped
  double induction = 0;  // see induction_scores
};

// What a head attending uniformly over the keys it may see scores on each
// role; 0 for a role the mask makes impossible (next token under a causal
// mask). head_role_kind.h compares scores with these.
struct RoleBaselines {
  double previous = 0, next = 0, first = 0, self = 0, induction = 0;
};

// Every head's scores with the baselines of the runs they came from.
struct HeadRoleScores {
  std::vector<HeadRoles> roles;  // [L * H], index layer * H + head
  RoleBaselines baselines;
  int n_tokens = 0;              // of the text the positional scores were measured on
  bool cut = false;              // the text was longer than the context and was cut to it
};

// The positional scores and entropy of every head of `snapshot` (the
// self-attention of its queries), induction left at 0.   -> [L * H]
std::vector<HeadRoles> positional_roles(const AttentionSnapshot& snapshot);

// A snapshot of [prefix][r_0 .. r_{n-1}][r_0 .. r_{n-1}][suffix], prefix
// `offset` tokens long: each head's mean weight from the second copy of r_k
// (position offset + n + k) onto the token after its first copy (position
// offset + k + 1), over k = 0 .. n-1.                    -> [L * H]
std::vector<double> induction_scores(const AttentionSnapshot& repeated, int offset, int n);

// The probe input: the tokenizer's special tokens around two copies of n
// distinct random ordinary tokens drawn from `seed`. `offset` receives the
// number of leading special tokens.
std::vector<Token> repeated_random_tokens(const Model& model, int n, std::uint32_t seed, int* offset);

// positional_roles on `text`, plus induction on repeated_random_tokens with n
// as long as the context allows, up to 32. Encoder-decoder models: the
// encoder's self-attention.
std::vector<HeadRoles> score_heads(const std::shared_ptr<const Model>& model, const std::string& text);
// The same with the uniform-attention baselines of both runs. cut_to_context:
// a text longer than the model's context is cut to it instead of refused.
HeadRoleScores score_heads_with_baselines(const std::shared_ptr<const Model>& model, const std::string& text,
                                          bool cut_to_context = false);

}  // namespace attnscope
