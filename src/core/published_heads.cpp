#include "core/published_heads.h"

namespace attnscope {

const char* const kPublishedHeadsCaveat =
    "found on other data: the source measured these heads on its own text, so on yours they may do something else";

const std::vector<KnownCheckpoint>& known_checkpoints() {
  static const std::vector<KnownCheckpoint> table = {
      {"BERT-base-uncased", Family::Bert, 12, 12, 768, 30522,
       "Clark et al. 2019, What Does BERT Look At?",
       {{"coreference", 4, 3, "5-4"}, {"determiner \u2192 noun", 7, 10, "8-11"}, {"direct object \u2192 verb", 7, 9, "8-10"}}},
      {"GPT-2 small", Family::Gpt2, 12, 12, 768, 50257,
       "Wang et al. 2022, Interpretability in the Wild (the IOI circuit)",
       {{"induction", 5, 5, "5.5"}, {"induction", 6, 9, "6.9"}, {"previous token", 4, 11, "4.11"}}},
  };
  return table;
}

const KnownCheckpoint* match_known_checkpoint(const ModelConfig& config) {
  for (const KnownCheckpoint& k : known_checkpoints())
    if (k.family == config.family && k.n_layers == config.n_layers && k.n_heads == config.n_heads && k.dim == config.dim &&
        k.vocab_size == config.vocab_size)
      return &k;
  return nullptr;
}

}  // namespace attnscope
