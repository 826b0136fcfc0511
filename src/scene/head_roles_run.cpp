// The runs behind score_heads: the text as given, and the repeated random
// sequence that shows induction heads.
#include <algorithm>
#include <random>
#include <set>

#include "core/encoder_decoder.h"
#include "core/error.h"
#include "core/forward.h"
#include "core/seq2seq.h"
#include "scene/head_role_kind.h"
#include "scene/head_roles.h"

namespace attnscope {

namespace {

constexpr int kMaxInductionLength = 32;

// The tokenizer interface has no per-id special flag, so added and reserved
// tokens are recognised by their bracketed spelling: [CLS], [unused3], <s>, <pad>.
bool looks_special(const std::string& piece) {
  if (piece.size() < 2) return piece.empty();
  return (piece.front() == '[' && piece.back() == ']') || (piece.front() == '<' && piece.back() == '>');
}

// Attention only; no predictions are needed.
RunOptions attention_only() {
  RunOptions options;
  options.top_k = 0;
  options.predict = RunOptions::Predict::None;
  return options;
}

std::shared_ptr<const AttentionSnapshot> run_self_attention(const std::shared_ptr<const Model>& model, std::vector<Token> tokens) {
  if (!model->encoder_decoder) return run_tokens(model, std::move(tokens), attention_only());
  Token start;
  start.id = model->encoder_decoder->config.decoder_start_id;
  return run_seq2seq_tokens(model, std::move(tokens), {start}, attention_only());
}

}  // namespace

std::vector<Token> repeated_random_tokens(const Model& model, int n, std::uint32_t seed, int* offset) {
  // The special tokens the tokenizer puts around a one-word input.
  const std::vector<Token> framed = model.tokenizer->encode("the");
  std::vector<Token> prefix, suffix;
  bool seen_word = false;
  for (const Token& t : framed) {
    if (!t.special) seen_word = true;
    else (seen_word ? suffix : prefix).push_back(t);
  }
  const int vocab = std::min(model.tokenizer->vocab_size(), model.config.vocab_size);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> pick(0, vocab - 1);
  std::vector<Token> random;
  std::set<int> used;
  for (int attempt = 0; static_cast<int>(random.size()) < n && attempt < 100 * n + 1000; ++attempt) {
    const int id = pick(rng);
    const std::string piece = model.tokenizer->piece(id);
    if (looks_special(piece) || !used.insert(id).second) continue;
    Token t;
    t.id = id;
    t.piece = piece;
    t.display = model.tokenizer->display_piece(id);
    random.push_back(t);
  }
  if (static_cast<int>(random.size()) < n)
    throw Error(ErrorKind::Unsupported, "the vocabulary has fewer than " + std::to_string(n) + " ordinary tokens for the induction probe");
  std::vector<Token> out = prefix;
  for (int copy = 0; copy < 2; ++copy) out.insert(out.end(), random.begin(), random.end());
  out.insert(out.end(), suffix.begin(), suffix.end());
  *offset = static_cast<int>(prefix.size());
  return out;
}

HeadRoleScores score_heads_with_baselines(const std::shared_ptr<const Model>& model, const std::string& text,
                                          bool cut_to_context) {
  std::vector<Token> tokens = model->tokenizer->encode(text);
  if (tokens.empty()) throw Error(ErrorKind::Usage, "the text has no tokens to score heads on");
  const int context = model->config.max_positions;
  const bool cut = cut_to_context && static_cast<int>(tokens.size()) > context;
  if (cut) tokens.resize(static_cast<size_t>(context));
  if (static_cast<int>(tokens.size()) > context)
    throw Error(ErrorKind::Usage, "the text has " + std::to_string(tokens.size()) + " tokens, more than the model's context of " +
                                      std::to_string(context));
  const auto on_text = run_self_attention(model, std::move(tokens));
  HeadRoleScores out;
  out.roles = positional_roles(*on_text);
  out.n_tokens = on_text->n_tokens;
  out.cut = cut;
  out.baselines = uniform_baselines(on_text->n_tokens, on_text->causal, 0, 0, 0, false);

  const int n = std::min(kMaxInductionLength, (context - 4) / 2);  // room for up to 4 special tokens
  if (n < 2) return out;  // no room for a repeated sequence: induction stays 0
  int offset = 0;
  std::vector<Token> repeated = repeated_random_tokens(*model, n, 14, &offset);
  const auto on_repeat = run_self_attention(model, std::move(repeated));
  const std::vector<double> induction = induction_scores(*on_repeat, offset, n);
  for (size_t i = 0; i < out.roles.size(); ++i) out.roles[i].induction = induction[i];
  out.baselines.induction =
      uniform_baselines(0, false, on_repeat->n_tokens, offset, n, on_repeat->causal).induction;
  return out;
}

std::vector<HeadRoles> score_heads(const std::shared_ptr<const Model>& model, const std::string& text) {
  return score_heads_with_baselines(model, text).roles;
}

}  // namespace attnscope
