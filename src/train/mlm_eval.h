// Masked-token accuracy of a masked LM on real text: how often its top
// guess at a [MASK] is the word piece that was there.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "core/model.h"

namespace attnscope::train {

struct MaskedAccuracy {
  long right = 0, total = 0;
  double rate() const { return total ? static_cast<double>(right) / static_cast<double>(total) : 0.0; }
};

// Every `stride`-th word piece of each document is masked in one run
// (offsets 0 .. stride-1 in turn, so every piece is scored once with the
// others visible). Documents longer than the context are cut as run_text cuts them.
// Throws Error for a causal model or a vocabulary without a mask token.
MaskedAccuracy masked_token_accuracy(const std::shared_ptr<const Model>& model, const std::vector<std::string>& documents,
                                     int stride = 7);

}  // namespace attnscope::train
