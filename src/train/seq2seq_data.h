// Batches of pre-tokenized sentence pairs for the encoder-decoder: drawn by
// (seed, step) like the single-stack trainer's, each side padded to the
// longest member of its batch.
//
// Shape legend: B pairs, Ts source tokens, Tt decoder tokens.
#pragma once
#include <cstdint>
#include <vector>

#include "train/seq2seq_layout.h"
#include "train/seq2seq_transformer.h"

namespace attnscope::train {

struct TokenPair {
  std::vector<int> source;  // encoder input as the source tokenizer gives it (normally ending in </s>)
  std::vector<int> target;  // target ids, with or without the final </s>
};

// Throws Error naming the pair when a side is empty, holds the pad id or an
// id outside the vocabulary, or does not fit the position table.
void check_pair(const TokenPair& pair, const Seq2SeqShape& shape, std::size_t index);

// Decoder input = start token (= pad) + target; targets = target + </s>;
// padding rows get target -1.
Seq2SeqBatch make_seq2seq_batch(const std::vector<TokenPair>& pairs, const std::vector<std::size_t>& picks, const Seq2SeqShape& shape);

// `count` indices into `n_pairs`, a function of (seed, step) only.
std::vector<std::size_t> sample_pairs(std::size_t n_pairs, int count, std::uint64_t seed, std::uint64_t step);

// Rows with a target: the tokens a batch teaches.
int target_count(const Seq2SeqBatch& batch);

}  // namespace attnscope::train
