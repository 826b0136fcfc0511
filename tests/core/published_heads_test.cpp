// Published heads are offered only to the exact checkpoints they were found in.
#include <gtest/gtest.h>

#include "core/published_heads.h"

namespace attnscope {
namespace {

ModelConfig config_of(Family family, int layers, int heads, int dim, int vocab) {
  ModelConfig c;
  c.family = family;
  c.n_layers = layers;
  c.n_heads = heads;
  c.dim = dim;
  c.head_dim = heads ? dim / heads : 0;
  c.vocab_size = vocab;
  return c;
}

TEST(PublishedHeads, BertBaseUncasedGetsClarksHeadsZeroBased) {
  const KnownCheckpoint* k = match_known_checkpoint(config_of(Family::Bert, 12, 12, 768, 30522));
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->name, "BERT-base-uncased");
  EXPECT_NE(k->source.find("Clark et al. 2019"), std::string::npos);
  ASSERT_EQ(k->heads.size(), 3u);
  // The paper's 1-based "layer-head" minus one on both sides.
  const std::vector<std::tuple<std::string, int, int>> want = {{"5-4", 4, 3}, {"8-11", 7, 10}, {"8-10", 7, 9}};
  for (size_t i = 0; i < want.size(); ++i) {
    const auto& [published, layer, head] = want[i];
    EXPECT_EQ(k->heads[i].as_published, published);
    EXPECT_EQ(k->heads[i].layer, layer);
    EXPECT_EQ(k->heads[i].head, head);
    const size_t dash = published.find('-');
    EXPECT_EQ(std::stoi(published.substr(0, dash)) - 1, layer);
    EXPECT_EQ(std::stoi(published.substr(dash + 1)) - 1, head);
  }
}

TEST(PublishedHeads, Gpt2SmallGetsInductionAndPreviousTokenHeadsAsWritten) {
  const KnownCheckpoint* k = match_known_checkpoint(config_of(Family::Gpt2, 12, 12, 768, 50257));
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->name, "GPT-2 small");
  ASSERT_EQ(k->heads.size(), 3u);
  for (const PublishedHead& h : k->heads) {  // 0-based in the literature: "5.5" is layer 5, head 5
    const size_t dot = h.as_published.find('.');
    EXPECT_EQ(std::stoi(h.as_published.substr(0, dot)), h.layer);
    EXPECT_EQ(std::stoi(h.as_published.substr(dot + 1)), h.head);
  }
  EXPECT_EQ(k->heads[0].name, "induction");
  EXPECT_EQ(k->heads[2].name, "previous token");
  EXPECT_LT(k->heads[2].head, 12);
}

TEST(PublishedHeads, NearMissesMatchNothing) {
  EXPECT_EQ(match_known_checkpoint(config_of(Family::Gpt2, 24, 16, 1024, 50257)), nullptr);  // GPT-2 medium
  EXPECT_EQ(match_known_checkpoint(config_of(Family::Gpt2, 12, 12, 768, 50000)), nullptr);   // another vocabulary
  EXPECT_EQ(match_known_checkpoint(config_of(Family::Gpt2, 6, 12, 768, 50257)), nullptr);    // distilgpt2
  EXPECT_EQ(match_known_checkpoint(config_of(Family::Bert, 12, 12, 768, 28996)), nullptr);   // BERT-base-cased
  EXPECT_EQ(match_known_checkpoint(config_of(Family::Bert, 24, 16, 1024, 30522)), nullptr);  // BERT-large
  EXPECT_EQ(match_known_checkpoint(config_of(Family::Roberta, 12, 12, 768, 50265)), nullptr);
  EXPECT_EQ(match_known_checkpoint(config_of(Family::Bert, 12, 12, 768, 50257)), nullptr);   // GPT-2's shape, BERT family
  EXPECT_EQ(match_known_checkpoint(config_of(Family::DistilBert, 12, 12, 768, 30522)), nullptr);
}

TEST(PublishedHeads, EveryHeadFitsItsCheckpointAndTheCaveatSaysOtherData) {
  for (const KnownCheckpoint& k : known_checkpoints()) {
    EXPECT_FALSE(k.source.empty()) << k.name;
    for (const PublishedHead& h : k.heads) {
      EXPECT_GE(h.layer, 0);
      EXPECT_LT(h.layer, k.n_layers) << k.name << " " << h.name;
      EXPECT_GE(h.head, 0);
      EXPECT_LT(h.head, k.n_heads) << k.name << " " << h.name;
    }
  }
  EXPECT_NE(std::string(kPublishedHeadsCaveat).find("found on other data"), std::string::npos);
}

}  // namespace
}  // namespace attnscope
