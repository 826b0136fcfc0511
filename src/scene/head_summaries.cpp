#include "scene/head_summaries.h"

#include "scene/display_matrix.h"

namespace attnscope {

HeadSummaryKey head_summary_key(const std::shared_ptr<const AttentionSnapshot>& snapshot, const DisplaySettings& display) {
  return {snapshot, display.scale, display.hide_special, display.mode};
}

HeadSummary summarize_head(const HeadSummaryKey& key, int layer, int head) {
  DisplaySettings display;
  display.scale = key.scale;
  display.hide_special = key.hide_special;
  display.mode = key.mode;
  const DisplayMatrix m = build_display_matrix(*key.snapshot, layer, head, HeadMode::Single, display, false);
  HeadSummary out;
  out.entropy = mean_row_entropy(m.weights);
  out.previous = mean_previous_token_weight(m.weights);
  // Linear and log scales are monotonic per cell, so shrinking first and
  // scaling the small copy gives the same picture for a fraction of the work.
  out.values = key.scale == ColorScale::PerRow ? downsample_max(apply_color_scale(m.weights, key.scale), kThumbnailSide)
                                               : apply_color_scale(downsample_max(m.weights, kThumbnailSide), key.scale);
  return out;
}

HeadSummaryWorker::HeadSummaryWorker()
    : mailbox_([](const HeadSummaryKey& key, const std::atomic<bool>& cancel) { return summarize_all(key, cancel); },
               Superseded::Keep) {}

HeadSummaries HeadSummaryWorker::summarize_all(const HeadSummaryKey& key, const std::atomic<bool>& cancel) {
  HeadSummaries out;
  out.key = key;
  const AttentionSnapshot& snap = *key.snapshot;
  for (int l = 0; l < snap.n_layers && !cancel; ++l)
    for (int h = 0; h < snap.n_heads && !cancel; ++h) out.heads.push_back(summarize_head(key, l, h));
  return out;  // a cancelled set is not delivered (LatestWins)
}

std::optional<HeadSummaries> HeadSummaryWorker::poll() {
  auto delivery = mailbox_.poll();
  if (!delivery) return std::nullopt;
  return std::move(delivery->result);
}

}  // namespace attnscope
