// The model view's picture of every head, computed off the UI thread: at
// T = 1024 each of GPT-2's 144 heads is a 1024 x 1024 matrix to scale, shrink
// and summarise, a few hundred milliseconds in all, which would otherwise
// slow the UI's frames until done. The UI uploads the small results.
#pragma once
#include <atomic>
#include <memory>
#include <optional>
#include <vector>

#include "core/snapshot.h"
#include "scene/latest_wins.h"
#include "scene/view_state.h"

namespace attnscope {

constexpr int kThumbnailSide = 128;

struct HeadSummary {
  MatrixRM values;     // [<= 128, <= 128] the head's display weights shrunk by max-pooling, colour scale applied
  float entropy = 0;   // mean row entropy, bits
  float previous = 0;  // mean p[i][i-1]
};

// What the summaries depend on: the snapshot and the display settings that
// change the weights.
struct HeadSummaryKey {
  std::shared_ptr<const AttentionSnapshot> snapshot;
  ColorScale scale = ColorScale::Linear;
  bool hide_special = false;
  DisplayMode mode = DisplayMode::Raw;
  bool operator==(const HeadSummaryKey&) const = default;
};
HeadSummaryKey head_summary_key(const std::shared_ptr<const AttentionSnapshot>& snapshot, const DisplaySettings& display);

HeadSummary summarize_head(const HeadSummaryKey& key, int layer, int head);

struct HeadSummaries {
  HeadSummaryKey key;
  std::vector<HeadSummary> heads;  // [L * H], index layer * H + head
};

// Every head of a key, on a worker thread of its own. A newer key cancels an
// older one; a finished set is delivered even when a newer key waits, so fast
// typing keeps the pictures moving.
class HeadSummaryWorker {
 public:
  HeadSummaryWorker();
  void submit(HeadSummaryKey key) { mailbox_.submit(std::move(key)); }
  std::optional<HeadSummaries> poll();

 private:
  static HeadSummaries summarize_all(const HeadSummaryKey& key, const std::atomic<bool>& cancel);
  LatestWins<HeadSummaryKey, HeadSummaries> mailbox_;
};

}  // namespace attnscope
