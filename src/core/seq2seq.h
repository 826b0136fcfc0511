// Encoder-decoder runs (Marian, T5): the encoder reads the source, the
// decoder reads the start token followed by the target (teacher forcing) or
// writes its own translation greedily. The snapshot's encoder fields keep
// their meaning; the decoder's self- and cross-attention go to
// AttentionSnapshot::decoder.
//
// Shape legend: Ts source tokens, Tt decoder tokens, V vocab.
#pragma once
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "decoder_capture.h"
#include "encoder_decoder.h"
#include "forward.h"

namespace attnscope {

bool is_encoder_decoder(const Model& model);

// Teacher forcing: `decoder_input` is fed as is (normally the start token,
// then the target without its final </s>). Throws Error for an id outside the
// vocabulary, too many tokens for Marian's position table, or an ablated
// head that does not exist.
std::shared_ptr<const AttentionSnapshot> run_seq2seq_tokens(const std::shared_ptr<const Model>& model, std::vector<Token> source,
                                                            std::vector<Token> decoder_input, const RunOptions& options,
                                                            std::string source_text = {}, std::string target_text = {});

// Tokenizes the source (cut to Marian's position table, see `truncated`);
// with a target, decodes it under teacher forcing (its tokens' spans point
// into `target`), otherwise decodes the model's own greedy translation of at
// most `max_new_tokens` tokens.
std::shared_ptr<const AttentionSnapshot> run_translation(const std::shared_ptr<const Model>& model, std::string_view source,
                                                         const std::optional<std::string>& target, const RunOptions& options,
                                                         int max_new_tokens = 64, bool* truncated = nullptr);

// The decoder's input for a target text: the start token (start == end == 0),
// then the target's tokens without the </s> the tokenizer appends.
std::vector<Token> decoder_input_for(const Model& model, std::string_view target);

struct GreedyTranslation {
  std::vector<int> ids;  // the decoder start token, then each generated id (the last is </s> if it came)
  MatrixRM step_logits;  // [steps, V] the logits each step chose from, suppressed ids at -inf
};

// Greedy decoding with a key/value cache: every step feeds only the newest
// token; the cross-attention keys and values are computed once. Stops right
// after </s> or after `max_new_tokens`. Head ablations apply as in a run.
GreedyTranslation translate_greedy(const std::shared_ptr<const Model>& model, const std::vector<Token>& source, int max_new_tokens,
                                   const Interventions& interventions = {}, const std::atomic<bool>* cancel = nullptr);

// The text of generated ids (start token, </s> and other specials left out),
// and, in `tokens`, one token per id with its byte span in that text.
std::string decode_translation(const Model& model, const std::vector<int>& ids, std::vector<Token>* tokens = nullptr);

}  // namespace attnscope
