// The predictions a run left out. The app's run computes top-k only for the
// selected row, so the heatmaps do not wait for the output head (a quarter of
// BERT-base's work at 64 tokens); PredictionsWorker then computes every other
// row of the run and of its baseline from their final hidden states.
#pragma once
#include <memory>
#include <vector>

#include "core/snapshot.h"

namespace attnscope {

struct CompletedPredictions {
  std::shared_ptr<const AttentionSnapshot> snapshot;  // the run they complete
  std::shared_ptr<const AttentionSnapshot> baseline;  // and its baseline (may be null)
  std::vector<std::vector<Prediction>> top;           // [T][k] every row of snapshot
  std::vector<std::vector<Prediction>> baseline_top;  // [T][k] every row of baseline; empty without one
};

// The top-k of `snapshot` at `position`: its own, else the completed ones when
// they belong to it (as the run or as the baseline). Null when out of range
// or not computed yet.
const std::vector<Prediction>* predictions_at(const AttentionSnapshot& snapshot, int position,
                                              const CompletedPredictions* completed);

// Whether a row of the snapshot lacks its top-k (a run with only one row predicted).
bool predictions_missing(const AttentionSnapshot* snapshot);

}  // namespace attnscope
