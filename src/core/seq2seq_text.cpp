// Text in and out of an encoder-decoder run: the decoder's input for a typed
// target, the greedy translation's text with each token's span, and the run
// that ties them together.
#include "error.h"
#include "seq2seq.h"

namespace attnscope {
namespace {

const Tokenizer& target_tokenizer(const Model& model) {
  if (!model.encoder_decoder) throw Error(ErrorKind::Unsupported, model.source.string() + ": not an encoder-decoder model");
  return *model.encoder_decoder->target_tokenizer;
}

Token special_token(const Tokenizer& tokenizer, int id, std::size_t at) {
  return Token{id, tokenizer.piece(id), tokenizer.display_piece(id), at, at, true};
}

}  // namespace

std::vector<Token> decoder_input_for(const Model& model, std::string_view target) {
  const Tokenizer& tokenizer = target_tokenizer(model);
  std::vector<Token> labels = tokenizer.encode(target);  // the target, then </s>
  if (!labels.empty() && labels.back().id == model.encoder_decoder->config.eos_id && labels.back().start == labels.back().end)
    labels.pop_back();
  // shift_tokens_right: the start token, then the labels without their last id.
  labels.insert(labels.begin(), special_token(tokenizer, model.encoder_decoder->config.decoder_start_id, 0));
  return labels;
}

std::string decode_translation(const Model& model, const std::vector<int>& ids, std::vector<Token>* tokens) {
  const Tokenizer& tokenizer = target_tokenizer(model);
  std::string text;
  bool first_piece = true;
  if (tokens) tokens->clear();
  for (int id : ids) {
    if (id < 0 || id >= tokenizer.vocab_size())
      throw Error(ErrorKind::OutOfRange, "token id " + std::to_string(id) + " is outside the vocabulary");
    std::string piece = tokenizer.decode_piece(id);  // "" for special tokens
    if (piece.empty()) {
      if (tokens) tokens->push_back(special_token(tokenizer, id, text.size()));
      continue;
    }
    // SentencePiece's dummy prefix: the first piece loses its leading space.
    if (first_piece && piece.front() == ' ') piece.erase(0, 1);
    first_piece = false;
    const std::size_t start = text.size();
    text += piece;
    if (tokens) tokens->push_back(Token{id, tokenizer.piece(id), tokenizer.display_piece(id), start, text.size(), false});
  }
  return text;
}

std::shared_ptr<const AttentionSnapshot> run_translation(const std::shared_ptr<const Model>& model, std::string_view source,
                                                         const std::optional<std::string>& target, const RunOptions& options,
                                                         int max_new_tokens, bool* truncated) {
  std::vector<Token> source_tokens = model->tokenizer->encode(source);
  // Marian's position table bounds the source: cut it, keeping the closing </s>.
  const std::size_t limit = static_cast<std::size_t>(model->config.max_positions);
  const bool cut = model->encoder_decoder && model->encoder_decoder->config.sinusoidal_positions && source_tokens.size() > limit;
  if (cut) {
    const Token last = source_tokens.back();
    source_tokens.resize(limit);
    if (last.special) source_tokens.back() = last;
  }
  if (truncated) *truncated = cut;
  if (target)
    return run_seq2seq_tokens(model, std::move(source_tokens), decoder_input_for(*model, *target), options, std::string(source), *target);
  const GreedyTranslation greedy = translate_greedy(model, source_tokens, max_new_tokens, options.interventions, options.cancel);
  std::vector<Token> decoder_input;
  std::string text = decode_translation(*model, greedy.ids, &decoder_input);
  // Row i predicts input i + 1; the last row predicts </s>, which is no input.
  if (decoder_input.size() > 1 && decoder_input.back().id == model->encoder_decoder->config.eos_id) decoder_input.pop_back();
  return run_seq2seq_tokens(model, std::move(source_tokens), std::move(decoder_input), options, std::string(source), std::move(text));
}

}  // namespace attnscope
