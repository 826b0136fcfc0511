#include "train/data.h"

#include <algorithm>

#include "core/error.h"
#include "core/parallel.h"
#include "train/rng.h"

namespace attnscope::train {

namespace {

// The first token of a word as it reads mid-sentence (" animal" for BPE).
int first_token_of(const Tokenizer& tokenizer, const std::string& word) {
  for (const Token& t : tokenizer.encode(" " + word))
    if (!t.special) return t.id;
  return -1;
}

}  // namespace

TokenStream tokenize_documents(const Tokenizer& tokenizer, const std::vector<std::string_view>& documents, Arch arch,
                               const std::vector<const std::vector<corpus::Coreference>*>& links) {
  const int separator = arch == Arch::Gpt ? tokenizer.eos_id : tokenizer.sep_id;
  if (separator < 0) throw Error(std::string("tokenizer has no ") + (arch == Arch::Gpt ? "<|endoftext|>" : "[SEP]") + " token");
  if (!links.empty() && links.size() != documents.size())
    throw Error("coreference links for " + std::to_string(links.size()) + " of " + std::to_string(documents.size()) + " documents");
  const int n = static_cast<int>(documents.size());
  std::vector<std::vector<int>> per_doc(documents.size()), per_doc_antecedents(documents.size());
  parallel_for(std::min(n, 64), [&](int chunk) {
    for (int d = chunk; d < n; d += std::min(n, 64)) {
      const auto doc_links = links.empty() ? nullptr : links[static_cast<size_t>(d)];
      std::vector<int>& out = per_doc[static_cast<size_t>(d)];
      std::vector<int>& antecedents = per_doc_antecedents[static_cast<size_t>(d)];
      for (const Token& t : tokenizer.encode(documents[static_cast<size_t>(d)])) {
        if (t.special && t.start == t.end) continue;  // [CLS]/[SEP] the tokenizer added
        int antecedent = -1;
        if (doc_links)
          for (const corpus::Coreference& link : *doc_links)
            if (link.pronoun.start == t.start) antecedent = first_token_of(tokenizer, link.antecedent);
        out.push_back(t.id);
        antecedents.push_back(antecedent);
      }
      out.push_back(separator);
      antecedents.push_back(-1);
    }
  });
  TokenStream stream;
  for (std::size_t d = 0; d < per_doc.size(); ++d) {
    stream.starts.push_back(stream.ids.size());
    stream.ids.insert(stream.ids.end(), per_doc[d].begin(), per_doc[d].end());
    if (!links.empty()) stream.antecedents.insert(stream.antecedents.end(), per_doc_antecedents[d].begin(), per_doc_antecedents[d].end());
  }
  return stream;
}

Batch sample_batch(const TokenStream& stream, const BatchOptions& o, std::uint64_t seed, std::uint64_t step) {
  const int B = o.batch, T = o.tokens;
  const bool bert = o.arch == Arch::Bert;
  // GPT needs T+1 tokens (inputs and shifted targets); BERT needs T-2 between [CLS] and [SEP].
  const std::size_t span = bert ? static_cast<std::size_t>(T - 2) : static_cast<std::size_t>(T + 1);
  if (T < 4) throw Error("sequence length must be at least 4, got " + std::to_string(T));
  if (stream.ids.size() < span + 1)
    throw Error("training text is too short: " + std::to_string(stream.ids.size()) + " tokens for sequences of " + std::to_string(T));
  if (bert && (o.cls_id < 0 || o.mask_id < 0 || o.separator_id < 0)) throw Error("BERT batches need [CLS], [SEP] and [MASK]");
  Rng rng(seed, step);
  Batch batch;
  batch.batch = B;
  batch.tokens = T;
  batch.ids.reserve(static_cast<size_t>(B * T));
  batch.targets.reserve(static_cast<size_t>(B * T));
  const std::size_t last_start = stream.ids.size() - span;
  for (int b = 0; b < B; ++b) {
    // A random document start that leaves room for a full window, else any position.
    std::size_t start = stream.starts.empty() ? last_start + 1 : stream.starts[rng.below(stream.starts.size())];
    if (start > last_start) start = rng.below(last_start + 1);
    const int* w = stream.ids.data() + start;
    const int* antecedent = stream.antecedents.empty() || !o.predict_antecedents ? nullptr : stream.antecedents.data() + start;
    if (!bert) {
      for (int t = 0; t < T; ++t) {
        batch.ids.push_back(w[t]);
        batch.targets.push_back(w[t + 1]);
      }
      continue;
    }
    batch.ids.push_back(o.cls_id);
    batch.targets.push_back(-1);
    bool any = false;
    for (int t = 0; t < T - 2; ++t) {
      const int id = w[t];
      int shown = id, target = -1;
      if (antecedent && antecedent[t] >= 0) {
        target = antecedent[t];
        any = true;
      } else if (id != o.separator_id && rng.chance(o.mask_prob)) {
        target = id;
        const double r = rng.uniform();
        shown = r < 0.8 ? o.mask_id : r < 0.9 ? rng.index(static_cast<size_t>(o.vocab_size)) : id;
        any = true;
      }
      batch.ids.push_back(shown);
      batch.targets.push_back(target);
    }
    if (!any) {  // every sequence predicts at least one token
      const int t = 1 + rng.index(static_cast<size_t>(T - 2));
      batch.targets[batch.targets.size() - static_cast<size_t>(T - 1 - t)] = batch.ids[batch.ids.size() - static_cast<size_t>(T - 1 - t)];
      batch.ids[batch.ids.size() - static_cast<size_t>(T - 1 - t)] = o.mask_id;
    }
    batch.ids.push_back(o.separator_id);
    batch.targets.push_back(-1);
  }
  return batch;
}

}  // namespace attnscope::train
