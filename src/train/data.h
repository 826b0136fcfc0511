// Training examples from tokenized text: documents become one token stream,
// and each step's batch is drawn from it by a generator seeded with
// (seed, step), so a resumed run sees exactly the batches it would have seen.
//
// Shape legend: B sequences, T tokens per sequence.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/tokenizer.h"
#include "train/corpus_generator.h"
#include "train/param_layout.h"
#include "train/transformer.h"

namespace attnscope::train {

struct TokenStream {
  std::vector<int> ids;              // every document, each followed by a separator
  std::vector<std::size_t> starts;   // where each document begins in `ids`
  // [ids.size()], or empty when no document has links: at a linked pronoun's
  // token, the first token of its antecedent noun; elsewhere -1.
  std::vector<int> antecedents;
};

// GPT: each document's tokens then <|endoftext|>; BERT: each document's tokens
// (without the [CLS]/[SEP] the tokenizer adds) then [SEP]. Runs over the pool.
// `links`, if given, holds each document's coreference links (or null).
TokenStream tokenize_documents(const Tokenizer& tokenizer, const std::vector<std::string_view>& documents, Arch arch,
                               const std::vector<const std::vector<corpus::Coreference>*>& links = {});

struct BatchOptions {
  Arch arch = Arch::Gpt;
  int batch = 32;             // B
  int tokens = 128;           // T
  double mask_prob = 0.15;    // BERT: share of positions predicted
  int vocab_size = 0;
  int separator_id = -1;      // GPT <|endoftext|>, BERT [SEP]
  int cls_id = -1, mask_id = -1;  // BERT
  // BERT: a linked pronoun stays visible and is trained to predict its
  // antecedent's first token (see corpus::Coreference).
  bool predict_antecedents = true;
};

// Sequences start at a random document start (so most begin at a sentence)
// and run on into the following documents.
// GPT: targets are the next tokens. BERT: [CLS] + T-2 tokens + [SEP], and
// mask_prob of the other positions are predicted: 80% shown as [MASK], 10% as
// a random token, 10% unchanged (Devlin et al.). Linked pronouns are
// predicted too, their target being the antecedent.
Batch sample_batch(const TokenStream& stream, const BatchOptions& options, std::uint64_t seed, std::uint64_t step);

}  // namespace attnscope::train
