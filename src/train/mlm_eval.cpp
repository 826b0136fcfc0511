#include "train/mlm_eval.h"

#include "core/error.h"
#include "core/forward.h"

namespace attnscope::train {
namespace {

// One run with the pieces at offset, offset + stride, ... masked.
void score_masked(const std::shared_ptr<const Model>& model, const std::vector<Token>& tokens, int mask, int offset,
                  int stride, MaskedAccuracy& tally) {
  std::vector<Token> masked = tokens;
  std::vector<int> positions;
  for (int i = offset; i < static_cast<int>(tokens.size()); i += stride) {
    if (tokens[static_cast<std::size_t>(i)].special) continue;
    masked[static_cast<std::size_t>(i)].id = mask;
    positions.push_back(i);
  }
  if (positions.empty()) return;
  RunOptions options;
  options.top_k = 1;
  const auto snapshot = run_tokens(model, std::move(masked), options);
  for (const int i : positions) {
    tally.right += snapshot->top[static_cast<std::size_t>(i)].front().id == tokens[static_cast<std::size_t>(i)].id;
    ++tally.total;
  }
}

}  // namespace

MaskedAccuracy masked_token_accuracy(const std::shared_ptr<const Model>& model, const std::vector<std::string>& documents,
                                     int stride) {
  if (model->config.causal) throw Error("mlm-eval: the model is causal; masked-token accuracy needs a masked LM");
  if (stride < 1) throw Error("mlm-eval: --stride must be at least 1");
  const int mask = model->tokenizer->mask_id;
  if (mask < 0) throw Error("mlm-eval: the model's vocabulary has no mask token");
  MaskedAccuracy tally;
  for (const std::string& document : documents) {
    const std::vector<Token> tokens = encode_for_context(*model, document);
    for (int offset = 0; offset < stride; ++offset) score_masked(model, tokens, mask, offset, stride, tally);
  }
  return tally;
}

}  // namespace attnscope::train
