// display_mode_weights: the derived matrices of a snapshot, computed once.
// Views ask for them every frame (the model view once per head), and rollout
// or value norms at T = 1024 cost far more than a frame.
#include <deque>
#include <mutex>
#include <string>

#include "scene/display_modes.h"

namespace attnscope {

namespace {

// Tells snapshots apart even when a new one is allocated where an old one
// was: the address, the text and a weighted sum of every head's last row
// (an ablated head or a masked key changes it).
struct SnapshotKey {
  const AttentionSnapshot* address = nullptr;
  std::string text;
  int n_tokens = 0, n_layers = 0;
  double fingerprint = 0;

  static SnapshotKey of(const AttentionSnapshot& s) {
    SnapshotKey key{&s, s.text, s.n_tokens, s.n_layers, 0.0};
    for (size_t hd = 0; hd < s.heads.size(); ++hd) {
      const MatrixRM& p = s.heads[hd].probs;  // [T, Tk]
      if (p.rows() == 0) continue;
      for (int j = 0; j < p.cols(); ++j) key.fingerprint += static_cast<double>(p(p.rows() - 1, j)) * (j + 1) * (hd + 1);
    }
    return key;
  }
  bool operator==(const SnapshotKey& o) const {
    return address == o.address && text == o.text && n_tokens == o.n_tokens && n_layers == o.n_layers && fingerprint == o.fingerprint;
  }
};

struct Derived {
  SnapshotKey key;
  std::vector<MatrixRM> layer_means;  // [L] each [T, T] mean of the working heads
  std::vector<MatrixRM> rollout;      // [L] each [T, T], filled on first use
  std::vector<MatrixRM> flow;         // [L] each [T, T], filled on first use
  std::vector<MatrixRM> value;        // [L * H] each [T, Tk], filled on first use
};

MatrixRM layer_mean(const AttentionSnapshot& s, int layer) {
  MatrixRM sum = MatrixRM::Zero(s.n_tokens, s.n_keys());  // [T, T]
  int working = 0;
  for (int h = 0; h < s.n_heads; ++h)
    if (!s.ablated(layer, h)) {
      sum += s.head(layer, h).probs;
      ++working;
    }
  return working ? MatrixRM(sum / static_cast<float>(working)) : sum;
}

Derived& derived_of(const AttentionSnapshot& s) {
  static std::deque<Derived> cache;  // the few snapshots on screen: self, decoder, cross
  const SnapshotKey key = SnapshotKey::of(s);
  for (Derived& d : cache)
    if (d.key == key) return d;
  if (cache.size() >= 4) cache.pop_back();
  Derived d;
  d.key = key;
  for (int l = 0; l < s.n_layers; ++l) d.layer_means.push_back(layer_mean(s, l));
  d.rollout.resize(static_cast<size_t>(s.n_layers));
  d.flow.resize(static_cast<size_t>(s.n_layers));
  d.value.resize(s.heads.size());
  cache.push_front(std::move(d));
  return cache.front();
}

std::vector<MatrixRM> up_to(const std::vector<MatrixRM>& layers, int layer) {
  return {layers.begin(), layers.begin() + layer + 1};
}

}  // namespace

MatrixRM display_mode_weights(const AttentionSnapshot& s, int layer, int head, DisplayMode mode) {
  const MatrixRM& probs = s.head(layer, head).probs;  // [T, Tk]
  if (mode == DisplayMode::Raw || !display_mode_applies(s, mode)) return probs;
  static std::mutex mutex;  // the app's views and a background export may ask at once
  const std::lock_guard<std::mutex> lock(mutex);
  Derived& d = derived_of(s);
  const auto l = static_cast<size_t>(layer);
  if (mode == DisplayMode::Value) {
    MatrixRM& v = d.value[static_cast<size_t>(layer * s.n_heads + head)];  // [T, Tk]
    if (v.size() == 0) v = value_weighted(probs, s.value_contribution(layer, head));
    return v;
  }
  std::vector<MatrixRM>& cached = mode == DisplayMode::Rollout ? d.rollout : d.flow;
  if (cached[l].size() == 0)
    cached[l] = mode == DisplayMode::Rollout ? attention_rollout(up_to(d.layer_means, layer)) : attention_flow(up_to(d.layer_means, layer));
  return cached[l];
}

void precompute_display_mode(const AttentionSnapshot& s, DisplayMode mode) {
  if (mode == DisplayMode::Raw || !display_mode_applies(s, mode)) return;
  for (int l = 0; l < s.n_layers; ++l)
    for (int h = 0; h < (mode == DisplayMode::Value ? s.n_heads : 1); ++h) display_mode_weights(s, l, h, mode);
}

}  // namespace attnscope
