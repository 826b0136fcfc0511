#include "train/seq2seq_data.h"

#include <algorithm>

#include "core/error.h"
#include "train/rng.h"

namespace attnscope::train {
namespace {

// The target without the </s> the tokenizer may have appended.
std::size_t target_length(const TokenPair& pair, int eos) {
  const std::size_t n = pair.target.size();
  return n > 0 && pair.target.back() == eos ? n - 1 : n;
}

}  // namespace

void check_pair(const TokenPair& pair, const Seq2SeqShape& shape, std::size_t index) {
  const auto fail = [&](const std::string& what) { throw Error("sentence pair " + std::to_string(index) + ": " + what); };
  if (pair.source.empty()) fail("empty source");
  if (target_length(pair, shape.eos_id) == 0) fail("empty target");
  for (const auto* side : {&pair.source, &pair.target})
    for (int id : *side) {
      if (id < 0 || id >= shape.vocab_size) fail("token id " + std::to_string(id) + " outside the vocabulary");
      if (id == shape.pad_id) fail("holds the pad id");
    }
  // The decoder reads the start token plus the target; positions are a fixed table.
  const std::size_t longest = std::max(pair.source.size(), target_length(pair, shape.eos_id) + 1);
  if (longest > static_cast<std::size_t>(shape.max_positions))
    fail(std::to_string(longest) + " tokens, more than the model's " + std::to_string(shape.max_positions) + " positions");
}

Seq2SeqBatch make_seq2seq_batch(const std::vector<TokenPair>& pairs, const std::vector<std::size_t>& picks, const Seq2SeqShape& shape) {
  Seq2SeqBatch b;
  b.batch = static_cast<int>(picks.size());
  for (std::size_t i : picks) {
    b.source_tokens = std::max(b.source_tokens, static_cast<int>(pairs.at(i).source.size()));
    b.target_tokens = std::max(b.target_tokens, static_cast<int>(target_length(pairs[i], shape.eos_id)) + 1);
  }
  const std::size_t Ts = static_cast<std::size_t>(b.source_tokens), Tt = static_cast<std::size_t>(b.target_tokens);
  b.source_ids.assign(picks.size() * Ts, shape.pad_id);
  b.decoder_ids.assign(picks.size() * Tt, shape.pad_id);
  b.targets.assign(picks.size() * Tt, -1);
  for (std::size_t row = 0; row < picks.size(); ++row) {
    const TokenPair& pair = pairs[picks[row]];
    std::copy(pair.source.begin(), pair.source.end(), b.source_ids.begin() + static_cast<std::ptrdiff_t>(row * Ts));
    const std::size_t n = target_length(pair, shape.eos_id);
    // Row 0 of the decoder input is the start token (already pad).
    for (std::size_t t = 0; t < n; ++t) {
      b.decoder_ids[row * Tt + t + 1] = pair.target[t];
      b.targets[row * Tt + t] = pair.target[t];
    }
    b.targets[row * Tt + n] = shape.eos_id;
  }
  return b;
}

std::vector<std::size_t> sample_pairs(std::size_t n_pairs, int count, std::uint64_t seed, std::uint64_t step) {
  if (n_pairs == 0) throw Error("no sentence pairs to train on");
  Rng rng(seed, step);
  std::vector<std::size_t> picks(static_cast<std::size_t>(count));
  for (std::size_t& i : picks) i = rng.below(n_pairs);
  return picks;
}

int target_count(const Seq2SeqBatch& batch) {
  return static_cast<int>(std::count_if(batch.targets.begin(), batch.targets.end(), [](int t) { return t >= 0; }));
}

}  // namespace attnscope::train
