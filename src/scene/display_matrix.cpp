#include "scene/display_matrix.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/encoder_decoder.h"
#include "scene/display_modes.h"

namespace attnscope {

namespace {

int index_of(const std::vector<int>& list, int token) {
  const auto it = std::find(list.begin(), list.end(), token);
  return it == list.end() ? -1 : static_cast<int>(it - list.begin());
}

bool valid_head(const AttentionSnapshot& s, int layer, int head) {
  return layer >= 0 && layer < s.n_layers && head >= 0 && head < s.n_heads &&
         s.heads.size() == static_cast<size_t>(s.n_layers) * static_cast<size_t>(s.n_heads);
}

// The heads a mean / max combines: every head that was not ablated.
std::vector<int> heads_to_combine(const AttentionSnapshot& s, int layer, int head, HeadMode mode) {
  std::vector<int> heads;
  if (mode == HeadMode::Single) {
    heads.push_back(head);
    return heads;
  }
  for (int h = 0; h < s.n_heads; ++h)
    if (!s.ablated(layer, h)) heads.push_back(h);
  return heads;
}

// Combines per-head [R, C] matrices produced by `one_head` into one [R, C].
// one_head may return a reference (the captured probabilities, no copy) or a
// fresh matrix.
template <typename OneHead>
MatrixRM combine_heads(const std::vector<int>& heads, HeadMode mode, int rows, int cols, OneHead one_head) {
  if (heads.empty()) return MatrixRM::Zero(rows, cols);
  MatrixRM out = one_head(heads[0]);  // [R, C]
  for (size_t n = 1; n < heads.size(); ++n) {
    decltype(auto) w = one_head(heads[n]);
    if (mode == HeadMode::Max)
      out.array() = out.array().max(w.array());
    else
      out += w;
  }
  if (mode == HeadMode::Mean) out /= static_cast<float>(heads.size());
  return out;
}

// Value-weighted per head, combined as the head mode says; rollout and flow
// belong to the whole layer, so the head and the head mode do not matter.
MatrixRM derived_weights(const AttentionSnapshot& s, int layer, int head, HeadMode mode, DisplayMode display_mode,
                         const DisplayMatrix& kept) {
  auto one_head = [&](int h) {
    return select_and_renormalise(display_mode_weights(s, layer, h, display_mode), kept.rows, kept.cols, kept.renormalised);
  };
  if (display_mode != DisplayMode::Value) return one_head(0);
  return combine_heads(heads_to_combine(s, layer, head, mode), mode, kept.n_rows(), kept.n_cols(), one_head);
}

}  // namespace

int DisplayMatrix::row_of_token(int token) const { return index_of(rows, token); }
int DisplayMatrix::col_of_token(int token) const { return index_of(cols, token); }

MatrixRM head_weights(const AttentionSnapshot& snapshot, int layer, int head, HeadMode mode) {
  const int t = snapshot.n_tokens, tk = snapshot.n_keys();
  if (!valid_head(snapshot, layer, mode == HeadMode::Single ? head : 0)) return MatrixRM::Zero(t, tk);
  return combine_heads(heads_to_combine(snapshot, layer, head, mode), mode, t, tk,
                       [&](int h) -> const MatrixRM& { return snapshot.head(layer, h).probs; });
}

namespace {

std::vector<int> kept_of(const AttentionSnapshot& snapshot, const std::vector<Token>& tokens, int n, bool hide_special) {
  int mask_id = -1;
  if (snapshot.model && snapshot.model->tokenizer) mask_id = snapshot.model->tokenizer->mask_id;
  std::vector<int> kept;
  for (int i = 0; i < n && i < static_cast<int>(tokens.size()); ++i) {
    const Token& token = tokens[static_cast<size_t>(i)];
    if (hide_special && token.special && token.id != mask_id) continue;
    kept.push_back(i);
  }
  return kept;
}

}  // namespace

std::vector<int> kept_tokens(const AttentionSnapshot& snapshot, bool hide_special) {
  return kept_of(snapshot, snapshot.tokens, snapshot.n_tokens, hide_special);
}

std::vector<int> kept_keys(const AttentionSnapshot& snapshot, bool hide_special) {
  return kept_of(snapshot, snapshot.keys(), snapshot.n_keys(), hide_special);
}

MatrixRM select_and_renormalise(const MatrixRM& weights, const std::vector<int>& rows, const std::vector<int>& cols,
                                bool renormalise) {
  auto is_identity = [](const std::vector<int>& list, Eigen::Index n) {
    if (static_cast<Eigen::Index>(list.size()) != n) return false;
    for (size_t i = 0; i < list.size(); ++i)
      if (list[i] != static_cast<int>(i)) return false;
    return true;
  };
  const bool everything = is_identity(rows, weights.rows()) && is_identity(cols, weights.cols());
  if (everything && !renormalise) return weights;  // the common case, at memcpy speed
  MatrixRM out(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(cols.size()));  // [R, C]
  for (size_t r = 0; r < rows.size(); ++r) {
    double sum = 0;
    for (size_t c = 0; c < cols.size(); ++c) {
      const float w = weights(rows[r], cols[c]);
      out(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = w;
      sum += w;
    }
    if (renormalise && sum > 0) out.row(static_cast<Eigen::Index>(r)) /= static_cast<float>(sum);
  }
  return out;
}

float scale_weight(float w, ColorScale scale, float row_max) {
  if (!(w >= 0.0f)) w = 0.0f;  // NaN and negatives show as nothing
  switch (scale) {
    case ColorScale::Linear:
      return std::min(w, 1.0f);
    case ColorScale::Log:
      return std::clamp((std::log10(std::max(w, 1e-4f)) + 4.0f) / 4.0f, 0.0f, 1.0f);
    case ColorScale::PerRow:
      return row_max > 0 ? std::min(w / row_max, 1.0f) : 0.0f;
  }
  return 0.0f;
}

MatrixRM apply_color_scale(const MatrixRM& weights, ColorScale scale) {
  MatrixRM values(weights.rows(), weights.cols());  // [R, C]
  for (Eigen::Index r = 0; r < weights.rows(); ++r) {
    const float row_max = scale == ColorScale::PerRow && weights.cols() > 0 ? weights.row(r).maxCoeff() : 0.0f;
    const float* in = weights.row(r).data();
    float* out = values.row(r).data();
    for (Eigen::Index c = 0; c < weights.cols(); ++c) out[c] = scale_weight(in[c], scale, row_max);
  }
  return values;
}

DisplayMatrix build_display_matrix(const AttentionSnapshot& snapshot, int layer, int head, HeadMode mode,
                                   const DisplaySettings& display, bool with_values) {
  DisplayMatrix out;
  out.rows = kept_tokens(snapshot, display.hide_special);
  out.cols = kept_keys(snapshot, display.hide_special);
  // Rows are renormalised when a kept row lost keys it had weight on.
  out.renormalised = display.hide_special && static_cast<int>(out.cols.size()) < snapshot.n_keys();
  const int n = static_cast<int>(out.rows.size()), nk = static_cast<int>(out.cols.size());
  const bool everything = n == snapshot.n_tokens && nk == snapshot.n_keys();
  if (!valid_head(snapshot, layer, mode == HeadMode::Single ? head : 0)) {
    out.weights = MatrixRM::Zero(n, nk);
  } else if (display.mode != DisplayMode::Raw && display_mode_applies(snapshot, display.mode)) {
    out.weights = derived_weights(snapshot, layer, head, mode, display.mode, out);
  } else {
    // Hiding renormalises each head before heads are combined, so a mean is
    // the mean of what each head would show alone and a max stays a max of
    // probabilities.
    const std::vector<int> heads = heads_to_combine(snapshot, layer, head, mode);
    if (out.renormalised)
      out.weights = combine_heads(heads, mode, n, nk, [&](int h) {
        return select_and_renormalise(snapshot.head(layer, h).probs, out.rows, out.cols, true);
      });
    else if (everything)  // every token kept: read the captures in place
      out.weights = combine_heads(heads, mode, n, nk,
                                  [&](int h) -> const MatrixRM& { return snapshot.head(layer, h).probs; });
    else
      out.weights = combine_heads(heads, mode, n, nk, [&](int h) {
        return select_and_renormalise(snapshot.head(layer, h).probs, out.rows, out.cols, false);
      });
  }
  if (with_values) out.values = apply_color_scale(out.weights, display.scale);
  return out;
}

float raw_score(const AttentionSnapshot& snapshot, int layer, int head, int query, int key) {
  const float neg_inf = -std::numeric_limits<float>::infinity();
  if (!valid_head(snapshot, layer, head) || query < 0 || key < 0 || query >= snapshot.n_tokens ||
      key >= snapshot.n_keys())
    return neg_inf;
  if ((snapshot.causal && key > query) || snapshot.key_masked(key)) return neg_inf;
  const HeadCapture& cap = snapshot.head(layer, head);
  if (cap.q.rows() <= query || cap.k.rows() <= key || cap.q.cols() != cap.k.cols()) return neg_inf;
  return snapshot.score(layer, head, query, key);
}

const char* raw_score_formula(const AttentionSnapshot& snapshot) {
  const auto* ed = snapshot.model ? snapshot.model->encoder_decoder.get() : nullptr;
  if (!ed || ed->config.scale_scores) return "q\u00B7k / sqrt(Dh)";
  return snapshot.score_bias(0) ? "q\u00B7k + position bias" : "q\u00B7k, not scaled";
}

float mean_row_entropy(const MatrixRM& weights) {
  double total = 0;
  int counted = 0;
  for (Eigen::Index r = 0; r < weights.rows(); ++r) {
    double entropy = 0, mass = 0;
    for (Eigen::Index c = 0; c < weights.cols(); ++c) {
      const double p = weights(r, c);
      if (p > 0) {
        entropy -= p * std::log2(p);
        mass += p;
      }
    }
    if (mass <= 0) continue;
    total += entropy;
    ++counted;
  }
  return counted ? static_cast<float>(total / counted) : 0.0f;
}

float mean_previous_token_weight(const MatrixRM& weights) {
  const Eigen::Index n = std::min(weights.rows(), weights.cols());
  if (n < 2) return 0.0f;
  double sum = 0;
  for (Eigen::Index i = 1; i < n; ++i) sum += weights(i, i - 1);
  return static_cast<float>(sum / static_cast<double>(n - 1));
}

MatrixRM downsample_max(const MatrixRM& values, int max_side) {
  max_side = std::max(max_side, 1);
  const Eigen::Index rows = values.rows(), cols = values.cols();
  if (rows <= max_side && cols <= max_side) return values;
  const Eigen::Index out_rows = std::min<Eigen::Index>(rows, max_side);
  const Eigen::Index out_cols = std::min<Eigen::Index>(cols, max_side);
  MatrixRM out = MatrixRM::Zero(out_rows, out_cols);  // [<= max_side, <= max_side]
  // Output cell (r, c) covers source rows [r*rows/out_rows, (r+1)*rows/out_rows).
  for (Eigen::Index r = 0; r < out_rows; ++r) {
    const Eigen::Index r0 = r * rows / out_rows, r1 = std::max(r0 + 1, (r + 1) * rows / out_rows);
    for (Eigen::Index c = 0; c < out_cols; ++c) {
      const Eigen::Index c0 = c * cols / out_cols, c1 = std::max(c0 + 1, (c + 1) * cols / out_cols);
      out(r, c) = values.block(r0, c0, r1 - r0, c1 - c0).maxCoeff();
    }
  }
  return out;
}

}  // namespace attnscope
