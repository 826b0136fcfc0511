#include "scene/alignment.h"

#include <algorithm>

#include "core/decoder_capture.h"
#include "core/encoder_decoder.h"
#include "scene/attention_view.h"

namespace attnscope {

namespace {

constexpr const char* kWordStart = "\xE2\x96\x81";  // U+2581, SentencePiece's word-start mark

bool starts_word(const Token& token) { return token.piece.rfind(kWordStart, 0) == 0; }

std::string trimmed(std::string text) {
  text.erase(0, text.find_first_not_of(' '));
  return text;
}

void finish_label(TokenGroup& group, const std::vector<Token>& tokens) {
  std::string text;
  for (int t : group.tokens) text += tokens[static_cast<size_t>(t)].display;
  group.label = trimmed(text);
  if (group.label.empty() && !group.tokens.empty()) group.label = tokens[static_cast<size_t>(group.tokens[0])].piece;
}

// The mean or max over the working heads of one layer: [Tt, Ts].
MatrixRM layer_heads(const DecoderCapture& dec, const Interventions& iv, int layer, bool max, int* working) {
  MatrixRM out;  // [Tt, Ts]
  *working = 0;
  for (int h = 0; h < dec.n_heads; ++h) {
    if (iv.is_cross_ablated(layer, h)) continue;
    const MatrixRM& p = dec.cross_head(layer, h).probs;  // [Tt, Ts]
    if (*working == 0) out = p;
    else if (max) out.array() = out.array().max(p.array());
    else out += p;
    ++*working;
  }
  if (*working > 0 && !max) out /= static_cast<float>(*working);
  return out;
}

}  // namespace

std::vector<TokenGroup> token_groups(const std::vector<Token>& tokens) {
  std::vector<TokenGroup> groups;
  for (size_t i = 0; i < tokens.size(); ++i) {
    TokenGroup g;
    g.tokens = {static_cast<int>(i)};
    g.special = tokens[i].special;
    finish_label(g, tokens);
    groups.push_back(std::move(g));
  }
  return groups;
}

std::vector<TokenGroup> word_groups(const std::vector<Token>& tokens) {
  std::vector<TokenGroup> groups;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& token = tokens[i];
    const bool joins = !groups.empty() && !token.special && !groups.back().special && !starts_word(token);
    if (!joins) {
      groups.emplace_back();
      groups.back().special = token.special;
    }
    groups.back().tokens.push_back(static_cast<int>(i));
  }
  for (TokenGroup& g : groups) finish_label(g, tokens);
  return groups;
}

MatrixRM merge_groups(const MatrixRM& weights, const std::vector<TokenGroup>& rows, const std::vector<TokenGroup>& cols) {
  MatrixRM out = MatrixRM::Zero(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(cols.size()));  // [R, C]
  for (size_t r = 0; r < rows.size(); ++r) {
    const int row = rows[r].tokens.empty() ? -1 : rows[r].tokens[0];
    if (row < 0 || row >= weights.rows()) continue;
    for (size_t c = 0; c < cols.size(); ++c) {
      float sum = 0;
      for (int col : cols[c].tokens)
        if (col >= 0 && col < weights.cols()) sum += weights(row, col);
      out(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = sum;
    }
  }
  return out;
}

MatrixRM combined_cross_attention(const AttentionSnapshot& run, AlignMode mode, int layer, int head) {
  const int ts = run.n_tokens;
  if (!run.decoder) return MatrixRM::Zero(0, ts);
  const DecoderCapture& dec = *run.decoder;
  const MatrixRM zero = MatrixRM::Zero(dec.n_tokens, ts);  // [Tt, Ts]
  if (dec.cross_heads.size() != static_cast<size_t>(dec.n_layers) * static_cast<size_t>(dec.n_heads)) return zero;
  const bool layer_ok = layer >= 0 && layer < dec.n_layers;
  int working = 0;
  switch (mode) {
    case AlignMode::Head:
      return layer_ok && head >= 0 && head < dec.n_heads ? dec.cross_head(layer, head).probs : zero;
    case AlignMode::MeanHeads:
    case AlignMode::MaxHeads: {
      if (!layer_ok) return zero;
      MatrixRM out = layer_heads(dec, run.interventions, layer, mode == AlignMode::MaxHeads, &working);
      return working > 0 ? out : zero;
    }
    case AlignMode::MeanLayers: break;
  }
  MatrixRM sum = zero;  // [Tt, Ts]
  int layers = 0;
  for (int l = 0; l < dec.n_layers; ++l) {
    MatrixRM mean = layer_heads(dec, run.interventions, l, false, &working);
    if (working == 0) continue;
    sum += mean;
    ++layers;
  }
  return layers > 0 ? MatrixRM(sum / static_cast<float>(layers)) : zero;
}

std::vector<Token> produced_tokens(const std::vector<Token>& decoder_tokens, int rows, const Token& eos) {
  std::vector<Token> out;
  rows = std::min(rows, static_cast<int>(decoder_tokens.size()));
  for (int i = 0; i < rows; ++i)
    out.push_back(i + 1 < static_cast<int>(decoder_tokens.size()) ? decoder_tokens[static_cast<size_t>(i) + 1] : eos);
  return out;
}

Alignment build_alignment(const AttentionSnapshot& run, const AlignmentSettings& settings, int layer, int head, int step) {
  Alignment out;
  if (!run.decoder || !run.model || !run.model->encoder_decoder) return out;
  const DecoderCapture& dec = *run.decoder;
  const int eos_id = run.model->encoder_decoder->config.eos_id;
  const Tokenizer& target = *run.model->encoder_decoder->target_tokenizer;
  const Token eos{eos_id, target.piece(eos_id), target.display_piece(eos_id), 0, 0, true};
  const int rows = decoder_rows_at_step(dec.n_tokens, step);
  const std::vector<Token> produced = produced_tokens(dec.tokens, rows, eos);
  out.rows = settings.words ? word_groups(produced) : token_groups(produced);
  out.cols = settings.words ? word_groups(run.tokens) : token_groups(run.tokens);
  out.weights = merge_groups(combined_cross_attention(run, settings.mode, layer, head), out.rows, out.cols);
  if (step >= 0 && !out.rows.empty()) out.current_row = static_cast<int>(out.rows.size()) - 1;
  return out;
}

const HeadPreset* alignment_preset(const Model& model) {
  if (!model.encoder_decoder) return nullptr;
  for (const HeadPreset& preset : model.presets)
    if (preset.kind == AttentionKind::Cross) return &preset;
  return nullptr;
}

}  // namespace attnscope
