// display_mode_weights: the derived matrices of a snapshot, computed once.
// Views ask for them every frame (the model view once per head), and rollout
// or value norms at T = 1024 cost far more than a frame.
#include <algorithm>
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

Derived derived_for(const AttentionSnapshot& s, const SnapshotKey& key) {
  Derived d;
  d.key = key;
  for (int l = 0; l < s.n_layers; ++l) d.layer_means.push_back(layer_mean(s, l));
  d.rollout.resize(static_cast<size_t>(s.n_layers));
  d.flow.resize(static_cast<size_t>(s.n_layers));
  d.value.resize(s.heads.size());
  return d;
}

// The few snapshots on screen: self, decoder, cross. Callers hold cache_mutex.
std::deque<Derived>& cache() {
  static std::deque<Derived> entries;
  return entries;
}
std::mutex cache_mutex;  // the app's views, the worker's precompute and a background export

Derived* find_derived(const SnapshotKey& key) {
  for (Derived& d : cache())
    if (d.key == key) return &d;
  return nullptr;
}

// Files `d`; an entry already there keeps what it has and gains what d adds.
Derived& insert_derived(Derived d) {
  if (Derived* existing = find_derived(d.key)) {
    const auto gain = [](std::vector<MatrixRM>& have, std::vector<MatrixRM>& add) {
      for (size_t i = 0; i < have.size() && i < add.size(); ++i)
        if (add[i].size() > 0) have[i] = std::move(add[i]);
    };
    gain(existing->rollout, d.rollout);
    gain(existing->flow, d.flow);
    gain(existing->value, d.value);
    return *existing;
  }
  if (cache().size() >= 4) cache().pop_back();
  cache().push_front(std::move(d));
  return cache().front();
}

std::vector<MatrixRM> up_to(const std::vector<MatrixRM>& layers, int layer) {
  return {layers.begin(), layers.begin() + layer + 1};
}

}  // namespace

MatrixRM display_mode_weights(const AttentionSnapshot& s, int layer, int head, DisplayMode mode) {
  const MatrixRM& probs = s.head(layer, head).probs;  // [T, Tk]
  if (mode == DisplayMode::Raw || !display_mode_applies(s, mode)) return probs;
  const SnapshotKey key = SnapshotKey::of(s);
  const std::lock_guard<std::mutex> lock(cache_mutex);
  Derived* found = find_derived(key);
  Derived& d = found ? *found : insert_derived(derived_for(s, key));
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

// Fills a Derived of its own without the lock, so that views asking for the
// snapshot on screen meanwhile are not kept waiting, then files it.
void precompute_display_mode(const AttentionSnapshot& s, DisplayMode mode) {
  if (mode == DisplayMode::Raw || !display_mode_applies(s, mode)) return;
  Derived d = derived_for(s, SnapshotKey::of(s));
  for (int l = 0; l < s.n_layers; ++l) {
    const auto layer = static_cast<size_t>(l);
    if (mode == DisplayMode::Value)
      for (int h = 0; h < s.n_heads; ++h)
        d.value[static_cast<size_t>(l * s.n_heads + h)] = value_weighted(s.head(l, h).probs, s.value_contribution(l, h));
    else if (mode == DisplayMode::Rollout)
      d.rollout[layer] = attention_rollout(up_to(d.layer_means, l));
    else
      d.flow[layer] = attention_flow(up_to(d.layer_means, l));
  }
  const std::lock_guard<std::mutex> lock(cache_mutex);
  insert_derived(std::move(d));
}

bool display_mode_ready(const AttentionSnapshot& s, DisplayMode mode) {
  if (mode == DisplayMode::Raw || !display_mode_applies(s, mode)) return true;
  const std::lock_guard<std::mutex> lock(cache_mutex);
  const Derived* d = find_derived(SnapshotKey::of(s));
  if (!d) return false;
  const std::vector<MatrixRM>& wanted = mode == DisplayMode::Value ? d->value : mode == DisplayMode::Rollout ? d->rollout : d->flow;
  return std::all_of(wanted.begin(), wanted.end(), [](const MatrixRM& m) { return m.size() > 0; });
}

}  // namespace attnscope
