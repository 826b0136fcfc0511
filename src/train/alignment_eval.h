// How well each cross-attention head of a translation model aligns words, on
// sentence pairs whose word alignment is known (ParallelPair), and how often
// the model's own greedy translation is exactly the reference.
//
// Producing-row convention: decoder row i reads decoder input i and produces
// decoder input i + 1, so a target word is scored on the row that produced
// its first piece. A row's attention is summed over each source word's
// pieces; a source token outside every word (</s>, punctuation) is a bucket of
// its own. A link is right when the row's largest bucket is a source word the
// target word is linked to.
//
// Shape legend: Ld decoder layers, H heads, Tt decoder tokens, Ts source tokens.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/snapshot.h"
#include "train/parallel_pair.h"
#include "train/probe_eval.h"

namespace attnscope::train {

struct HeadAlignment {
  int layer = 0, head = 0;
  Tally links;     // target words with at least one link
  Tally crossing;  // those of them with a crossing link
};

struct AlignmentReport {
  int n_layers = 0, n_heads = 0;   // Ld, H
  std::vector<HeadAlignment> heads;  // [Ld * H]
  Tally exact;                     // greedy translation == reference target
  int skipped = 0;                 // pairs whose words no token covers
  std::vector<std::string> misses; // a few "source => got (want target)" lines
};

// For one teacher-forced run: which source bucket each scored target word's
// producing row puts most weight on, added to `heads`.
//   cross: [Ld * H] probs [Tt, Ts]
void score_pair(const ParallelPair& pair, const std::vector<Token>& source_tokens, const std::vector<Token>& decoder_tokens,
                const std::vector<HeadCapture>& cross, std::vector<HeadAlignment>& heads);

// Teacher-forced runs of every pair (alignment) and greedy translations
// (exactness, when `translate` is set).
AlignmentReport evaluate_alignment(const std::shared_ptr<const Model>& model, const std::vector<ParallelPair>& pairs, bool translate);

// The head with the best mean of its two accuracies, links and crossing
// links: the crossing ("black cat" -> "chat noir") is the picture a teacher
// shows, so a head that gets most links right by following word order alone
// is not the alignment head.
const HeadAlignment& best_alignment_head(const AlignmentReport& report);

// One row per head: links and crossing links right; then exact translations.
std::string format_alignment_report(const AlignmentReport& report);

}  // namespace attnscope::train
