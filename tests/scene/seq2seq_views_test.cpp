// What the views of an encoder-decoder model read, on the marian, t5 and
// t5-v1_1 fixtures: the pre-softmax scores shown by the heatmap tooltip and
// the Q/K/V view give back every kind's attention (and the golden
// cross-attention of the independent reference), the cross-attention keys are
// the encoder output through the cross-attention projection, the predictions'
// baseline is the same decoder input with every head on, and the alignment
// view's named head.
#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "core/default_model.h"
#include "core/ops.h"
#include "core/seq2seq.h"
#include "scene/alignment.h"
#include "scene/attention_view.h"
#include "scene/display_matrix.h"
#include "scene/scene_run.h"
#include "test_support.h"

namespace attnscope {
namespace {

using nlohmann::json;
using testing::all_close;

// softmax over one row of raw_score, computed here in double.
std::vector<double> softmax_of_scores(const AttentionSnapshot& view, int layer, int head, int query) {
  std::vector<double> p(static_cast<size_t>(view.n_keys()));
  double top = -INFINITY, sum = 0;
  for (int j = 0; j < view.n_keys(); ++j) top = std::max(top, static_cast<double>(raw_score(view, layer, head, query, j)));
  for (int j = 0; j < view.n_keys(); ++j) {
    const double s = raw_score(view, layer, head, query, j);
    p[static_cast<size_t>(j)] = std::isinf(s) ? 0.0 : std::exp(s - top);
    sum += p[static_cast<size_t>(j)];
  }
  for (double& v : p) v /= sum;
  return p;
}

class Seq2SeqViews : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    model_ = load_model(testing::fixture(GetParam()));
    golden_ = testing::read_json(testing::fixture(GetParam()) / "golden.json");
    const json& c = golden_["cases"][0];
    RunOptions options;
    run_ = run_seq2seq_tokens(model_, testing::tokens_of_ids(c["input_ids"]), testing::tokens_of_ids(c["decoder_input_ids"]), options);
  }
  std::shared_ptr<const Model> model_;
  json golden_;
  std::shared_ptr<const AttentionSnapshot> run_;
};

// Rows of every kind, every decoding step's cut included: softmax of the shown
// scores equals the attention row the run captured, to 1e-5.
TEST_P(Seq2SeqViews, SoftmaxOfTheShownScoresIsTheAttentionRowOfEveryKind) {
  for (AttentionKind kind : {AttentionKind::Self, AttentionKind::DecoderSelf, AttentionKind::Cross})
    for (int step : {-1, 2}) {
      const auto view = attention_view(run_, kind, step);
      for (int l = 0; l < view->n_layers; ++l)
        for (int h = 0; h < view->n_heads; ++h)
          for (int i = 0; i < view->n_tokens; ++i) {
            const std::vector<double> p = softmax_of_scores(*view, l, h, i);
            const std::string what = std::string(attention_kind_name(kind)) + " step " + std::to_string(step) + " L" +
                                     std::to_string(l) + "H" + std::to_string(h) + " row " + std::to_string(i);
            EXPECT_TRUE(all_close(
                what, view->n_keys(), [&](int j) { return static_cast<float>(p[static_cast<size_t>(j)]); },
                [&](int j) { return view->head(l, h).probs(i, j); }, 1e-5, 0));
          }
    }
}

// The cross-attention the Q/K/V view explains is the reference's, row by row.
TEST_P(Seq2SeqViews, CrossAttentionScoresGiveTheGoldenWeights) {
  const json& golden = golden_["cases"][0]["cross_attentions"];  // [Ld][H][Tt][Ts]
  const auto view = attention_view(run_, AttentionKind::Cross, -1);
  ASSERT_EQ(view->n_keys(), run_->n_tokens) << "cross-attention keys are the source tokens";
  ASSERT_EQ(golden.size(), static_cast<size_t>(view->n_layers));
  for (int l = 0; l < view->n_layers; ++l)
    for (int h = 0; h < view->n_heads; ++h)
      for (int i = 0; i < view->n_tokens; ++i) {
        const std::vector<double> p = softmax_of_scores(*view, l, h, i);
        EXPECT_TRUE(all_close(
            "golden cross L" + std::to_string(l) + "H" + std::to_string(h) + " row " + std::to_string(i), view->n_keys(),
            [&](int j) { return static_cast<float>(p[static_cast<size_t>(j)]); },
            [&](int j) { return golden[l][h][i][j].get<float>(); }, 1e-4, 0));
      }
}

// Keys and values of cross-attention: the encoder's output through the
// decoder layer's cross-attention projections, the head's Dh columns.
TEST_P(Seq2SeqViews, CrossAttentionKeysAndValuesComeFromTheEncoderOutput) {
  const auto view = attention_view(run_, AttentionKind::Cross, 1);
  const int Dh = view->head_dim;
  for (int l = 0; l < view->n_layers; ++l) {
    const auto& cross = model_->encoder_decoder->weights.layers[static_cast<size_t>(l)].cross;
    const MatrixRM k = linear(run_->final_hidden, cross.wk), v = linear(run_->final_hidden, cross.wv);  // [Ts, H*Dh]
    for (int h = 0; h < view->n_heads; ++h) {
      const HeadCapture& cap = view->head(l, h);
      ASSERT_EQ(cap.q.rows(), 2) << "step 1 keeps decoder rows 0 and 1";
      ASSERT_EQ(cap.k.rows(), run_->n_tokens);
      EXPECT_LT((cap.k - k.middleCols(h * Dh, Dh)).cwiseAbs().maxCoeff(), 1e-5f) << "L" << l << "H" << h;
      EXPECT_LT((cap.v - v.middleCols(h * Dh, Dh)).cwiseAbs().maxCoeff(), 1e-5f) << "L" << l << "H" << h;
    }
  }
}

// How the tooltip and the Q/K/V view name the score.
TEST_P(Seq2SeqViews, ScoreFormulaNamesTheModelsScaling) {
  const bool t5 = GetParam() != "marian";
  EXPECT_STREQ(raw_score_formula(*attention_view(run_, AttentionKind::Self, -1)),
               t5 ? "q\u00B7k + position bias" : "q\u00B7k / sqrt(Dh)");
  EXPECT_STREQ(raw_score_formula(*attention_view(run_, AttentionKind::DecoderSelf, -1)),
               t5 ? "q\u00B7k + position bias" : "q\u00B7k / sqrt(Dh)");
  EXPECT_STREQ(raw_score_formula(*attention_view(run_, AttentionKind::Cross, -1)),
               t5 ? "q\u00B7k, not scaled" : "q\u00B7k / sqrt(Dh)");
}

INSTANTIATE_TEST_SUITE_P(Fixtures, Seq2SeqViews, ::testing::Values("marian", "t5", "t5-v1_1"));

// The probability of `id` among a row's predictions, -1 when absent.
float prob_of(const std::vector<Prediction>& top, int id) {
  for (const Prediction& p : top)
    if (p.id == id) return p.prob;
  return -1.0f;
}

// Switching heads off gives a baseline with the same decoder input and every
// head on; the shown predictions and the baseline's are those of core runs
// with and without the head masks, so their differences are the deltas shown.
TEST(Seq2SeqBaseline, SwitchedOffHeadsCompareWithTheSameTargetWithEveryHeadOn) {
  const auto model = load_model(testing::fixture("marian"));
  const std::string source = "The black cat sat on the mat.";
  Interventions off;
  off.ablated_cross_heads = {{1, 0}, {1, 2}};
  off.ablated_decoder_heads = {{0, 1}};
  const SceneRun scene = run_scene(model, source, off);  // greedy: the ablated model's own translation
  ASSERT_TRUE(scene.baseline);
  const DecoderCapture& dec = *scene.snapshot->decoder;
  ASSERT_TRUE(scene.baseline->decoder);
  EXPECT_EQ(testing::ids_of(scene.baseline->decoder->tokens), testing::ids_of(dec.tokens));
  EXPECT_TRUE(scene.baseline->interventions.ablated_cross_heads.empty());
  EXPECT_TRUE(scene.baseline->interventions.ablated_decoder_heads.empty());

  RunOptions options;
  options.top_k = kSceneTopK;
  options.predict = RunOptions::Predict::All;
  const auto all_on = run_seq2seq_tokens(model, scene.snapshot->tokens, dec.tokens, options);
  options.interventions = off;
  const auto masked = run_seq2seq_tokens(model, scene.snapshot->tokens, dec.tokens, options);
  int changed = 0;
  for (int t = 0; t < dec.n_tokens; ++t) {
    const auto& shown = dec.top[static_cast<size_t>(t)];
    const auto& before = scene.baseline->decoder->top[static_cast<size_t>(t)];
    ASSERT_EQ(shown.size(), static_cast<size_t>(kSceneTopK));
    for (size_t r = 0; r < shown.size(); ++r) {
      EXPECT_EQ(shown[r].id, masked->decoder->top[static_cast<size_t>(t)][r].id);
      EXPECT_NEAR(shown[r].prob, masked->decoder->top[static_cast<size_t>(t)][r].prob, 1e-5f);
      EXPECT_EQ(before[r].id, all_on->decoder->top[static_cast<size_t>(t)][r].id);
      EXPECT_NEAR(before[r].prob, all_on->decoder->top[static_cast<size_t>(t)][r].prob, 1e-5f);
      const float was = prob_of(before, shown[r].id), want = prob_of(all_on->decoder->top[static_cast<size_t>(t)], shown[r].id);
      EXPECT_NEAR(was, want, 1e-5f) << "the 'was' of row " << t << " guess " << r;
      if (was >= 0 && std::fabs(shown[r].prob - was) > 1e-3f) ++changed;
    }
  }
  EXPECT_GT(changed, 0) << "switching three heads off should move some prediction";

  // The decoder view the Predictions view reads, cut to a step, keeps the comparison.
  const auto shown_view = attention_view(scene.snapshot, AttentionKind::DecoderSelf, 2);
  const auto before_view = attention_view(scene.baseline, AttentionKind::DecoderSelf, 2);
  EXPECT_EQ(shown_view->text, before_view->text);
  ASSERT_EQ(before_view->top.size(), 3u);
  EXPECT_EQ(before_view->top[2][0].id, all_on->decoder->top[2][0].id);
}

TEST(Seq2SeqBaseline, NoHeadOffNoBaselineAndAForcedTargetIsKept) {
  const auto model = load_model(testing::fixture("marian"));
  const std::string source = "The black cat sat on the mat.", target = "Le chat noir est assis.";
  EXPECT_FALSE(run_scene(model, source, Interventions{}, nullptr, nullptr, nullptr, target).baseline);
  Interventions off;
  off.ablated_heads = {{0, 3}};  // an encoder head changes the decoder's predictions too
  const SceneRun scene = run_scene(model, source, off, nullptr, nullptr, nullptr, target);
  ASSERT_TRUE(scene.baseline);
  EXPECT_EQ(scene.baseline->decoder->target_text, target);
  EXPECT_EQ(testing::ids_of(scene.baseline->decoder->tokens), testing::ids_of(decoder_input_for(*model, target)));
  // A second run reuses the baseline it is given when the inputs match.
  const SceneRun again = run_scene(model, source, off, nullptr, scene.baseline, nullptr, target);
  EXPECT_EQ(again.baseline, scene.baseline);
}

// The alignment view opens on the translation model's named cross-attention head.
TEST(AlignmentPreset, TheShippedTranslationModelNamesLayer1Head1) {
  std::shared_ptr<const Model> translate;
  for (const auto& folder : default_model_folders())
    if (folder.filename() == "attnscope-tiny-translate") translate = load_model(folder);
  ASSERT_TRUE(translate) << "assets/models/attnscope-tiny-translate is part of the repository";
  const HeadPreset* preset = alignment_preset(*translate);
  ASSERT_NE(preset, nullptr);
  EXPECT_EQ(preset->kind, AttentionKind::Cross);
  EXPECT_EQ(preset->layer, 1);
  EXPECT_EQ(preset->head, 1);
  EXPECT_EQ(alignment_preset(*load_model(testing::fixture("marian"))), nullptr) << "the fixture names no head";
}

}  // namespace
}  // namespace attnscope
