// The minimal-pair view around its numbers: sentence B's interventions, the
// render options for the view, the Compare menu's pairs, and
// attnscope-tiny-bert's pronoun head on the seed pair.
#include <vector>

#include <gtest/gtest.h>

#include "core/default_model.h"
#include "core/error.h"
#include "core/forward.h"
#include "scene/figure_batch.h"
#include "scene/minimal_pairs.h"
#include "scene/pair_matrix.h"
#include "scene/pair_worker.h"
#include "test_support.h"

namespace attnscope {
namespace {

TEST(PairWorker, SentenceBKeepsTheSwitchedOffHeadsButNotAsMasks) {
  Interventions a;
  a.ablated_heads = {{1, 2}};
  a.masked_keys = {3};
  a.causal = true;
  const Interventions b = pair_b_interventions(a);
  EXPECT_EQ(b.ablated_heads, a.ablated_heads);
  EXPECT_EQ(b.causal, a.causal);
  EXPECT_TRUE(b.masked_keys.empty());
}

TEST(MinimalPairOptions, DiffViewNeedsSentenceB) {
  FigureFields fields = {{"view", "diff"}, {"text", "The cat sat."}, {"out", "x.png"}};
  try {
    figure_job_from_fields(fields);
    FAIL() << "a diff figure without --text-b was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Usage);
    EXPECT_NE(std::string(e.what()).find("--text-b"), std::string::npos) << e.what();
  }
  fields["text-b"] = "The dog sat.";
  const FigureJob job = figure_job_from_fields(fields);
  EXPECT_EQ(job.scene.figure.view, ViewId::MinimalPair);
  EXPECT_EQ(job.scene.text_b, "The dog sat.");
  EXPECT_TRUE(job.scene.show.minimal_pair);
}

// ----------------------------------------------------------- the default model

std::shared_ptr<const Model> tiny_bert() {
  static const std::shared_ptr<const Model> model = [] {
    const auto path = default_model_path();
    return path ? load_model(*path) : nullptr;
  }();
  return model;
}

TEST(MinimalPairPresets, LoadingAPairSelectsItInSentenceA) {
  if (!tiny_bert()) GTEST_SKIP() << "assets/models/attnscope-tiny-bert is not there";
  for (const MinimalPairPreset& preset : minimal_pair_presets()) {
    AppState state;
    state.model = tiny_bert();
    state.run_requested = false;
    state.interventions.masked_keys = {2};
    load_minimal_pair(state, preset);
    EXPECT_EQ(state.text, preset.a);
    EXPECT_EQ(state.text_b, preset.b);
    EXPECT_TRUE(state.show.minimal_pair);
    EXPECT_TRUE(state.run_requested);
    EXPECT_TRUE(state.interventions.masked_keys.empty());
    const auto snapshot = run_text(tiny_bert(), preset.a, {});
    EXPECT_EQ(state.selection.query, testing::token_index(snapshot->tokens, "it")) << preset.name;
    EXPECT_GE(state.selection.query, 1);
  }
}

// The seed pair on the pronoun head (the model's first preset): "it" leaves
// "animal" for "street" when "tired" becomes "wide".
TEST(MinimalPairPresets, PronounHeadFlipsOnTheSeedPair) {
  if (!tiny_bert()) GTEST_SKIP() << "assets/models/attnscope-tiny-bert is not there";
  const MinimalPairPreset& seed = minimal_pair_presets().front();
  const auto a = run_text(tiny_bert(), seed.a, {}), b = run_text(tiny_bert(), seed.b, {});
  ASSERT_FALSE(tiny_bert()->presets.empty());
  Selection sel;
  sel.layer = tiny_bert()->presets.front().layer;
  sel.head = tiny_bert()->presets.front().head;
  const PairMatrices p = build_pair_matrices(*a, *b, sel);
  const int it = testing::token_index(a->tokens, "it"), animal = testing::token_index(a->tokens, "animal"),
            street = testing::token_index(a->tokens, "street");
  ASSERT_GE(it, 0);
  // One token differs, so the grid is A's tokens plus B's "wide".
  EXPECT_EQ(p.size(), a->n_tokens + 1);
  EXPECT_EQ(p.alignment.a_middle, 1);
  EXPECT_EQ(p.alignment.b_middle, 1);
  const int row = p.alignment.slot_of_a(it);
  const auto& head_a = a->head(sel.layer, sel.head).probs;  // [T, T]
  const auto& head_b = b->head(sel.layer, sel.head).probs;  // [T, T]: B swaps one word for one word
  const float a_animal = head_a(it, animal), b_animal = head_b(it, animal);
  const float a_street = head_a(it, street), b_street = head_b(it, street);
  EXPECT_NEAR(p.diff(row, p.alignment.slot_of_a(animal)), b_animal - a_animal, 1e-6f);
  EXPECT_NEAR(p.diff(row, p.alignment.slot_of_a(street)), b_street - a_street, 1e-6f);
  // "it" looks at "animal" most in A and at "street" most in B.
  Eigen::Index top_a = 0, top_b = 0;
  head_a.row(it).maxCoeff(&top_a);
  head_b.row(it).maxCoeff(&top_b);
  EXPECT_EQ(top_a, animal);
  EXPECT_EQ(top_b, street);
  EXPECT_GT(a_animal, 0.5f);
  EXPECT_GT(b_street, 0.5f);
  EXPECT_LT(p.diff(row, p.alignment.slot_of_a(animal)), -0.4f);
  EXPECT_GT(p.diff(row, p.alignment.slot_of_a(street)), 0.3f);
}

}  // namespace
}  // namespace attnscope
