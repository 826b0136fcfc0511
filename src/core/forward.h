// The forward pass: token ids in, an AttentionSnapshot out.
#pragma once
#include <atomic>
#include <memory>
#include <string_view>
#include <vector>

#include "interventions.h"
#include "model.h"
#include "snapshot.h"

namespace attnscope {

struct RunOptions {
  Interventions interventions;
  int top_k = 5;
  // Which positions get top-k: all, the last, the one at predict_row (out of
  // range: default_predicted_row; reused rows keep theirs), or none.
  // Encoder-decoder models predict every decoder row for Row.
  enum class Predict { All, Last, Row, None } predict = Predict::All;
  int predict_row = -1;
  bool keep_logits = false;                 // fill snapshot.logits [T, V]
  bool time_layers = false;                 // fill snapshot.timing (forward_timing.h); changes no value
  const std::atomic<bool>* cancel = nullptr;  // checked between layers; a cancelled run throws Cancelled
  // An earlier run of the same model with the same interventions. When the
  // mask is causal, a row depends only on the tokens up to it, so the rows of
  // the longest common token prefix are copied from it instead of recomputed
  // (typing at the end of the text recomputes only the new rows). Ignored
  // otherwise. The earlier snapshot is only read.
  std::shared_ptr<const AttentionSnapshot> reuse;
};

struct Cancelled {};

// Tokenizes `text` (cut to the model's context, see `truncated`) and runs it.
// For an encoder-decoder model the text is the source and the decoder runs on
// the model's greedy translation (seq2seq.h: run_translation).
std::shared_ptr<const AttentionSnapshot> run_text(const std::shared_ptr<const Model>& model, std::string_view text,
                                                  const RunOptions& options, bool* truncated = nullptr);

// The tokens run_text runs: `text` encoded and cut to the model's context,
// keeping a closing special token ([SEP]). `truncated`: whether it was cut.
std::vector<Token> encode_for_context(const Model& model, std::string_view text, bool* truncated = nullptr);

// Runs given tokens; ids must be < V and T <= max_positions (throws Error
// otherwise, and for an encoder-decoder model: see seq2seq.h).
std::shared_ptr<const AttentionSnapshot> run_tokens(const std::shared_ptr<const Model>& model, std::vector<Token> tokens,
                                                    const RunOptions& options);

// The row a reader of predictions looks at first: a masked LM's first mask
// token, else the last row. -1 for no tokens.
int default_predicted_row(const Model& model, const std::vector<Token>& tokens);

// Top-k of every row of a snapshot: the rows it has, and the others computed
// from its final hidden states ([T][k]; rows stay empty without an LM head
// and for encoder-decoder snapshots). Throws Cancelled when *cancel is set.
std::vector<std::vector<Prediction>> complete_predictions(const AttentionSnapshot& snapshot, int top_k,
                                                          const std::atomic<bool>* cancel = nullptr);

// Top-k by logit of each row of `logits` [R, V] (softmax probabilities
// included), written to top[first_position + r].
void predict(const Model& model, const Eigen::Ref<const MatrixRM>& logits, int first_position, int top_k,
             std::vector<std::vector<Prediction>>& top);

}  // namespace attnscope
