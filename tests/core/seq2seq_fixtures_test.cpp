// The encoder-decoder fixtures (marian, t5, t5-v1_1) against their golden.json,
// computed by an independent implementation of Hugging Face's semantics.
// Tolerances are the fixture README's: attention 1e-4 absolute, hidden states
// 1e-4 + 1e-3|b|, logits 1e-3 + 1e-3|b|, top-5 compared by value; token ids
// (tokenizer and greedy) exactly.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <iostream>

#include "core/ops.h"
#include "core/seq2seq.h"
#include "test_support.h"

namespace attnscope {
namespace {

using nlohmann::json;
using testing::all_close;

// The largest attention error seen per fixture, reported at the end.
struct Worst {
  double attention = 0, hidden = 0;
};

// Every layer and head of one attention kind: golden [layers][H][rows][cols].
void expect_attention(const std::function<const HeadCapture&(int, int)>& head, int layers, int heads, const json& golden,
                      const std::string& label, double* worst) {
  ASSERT_EQ(golden.size(), static_cast<size_t>(layers)) << label;
  for (int l = 0; l < layers; ++l)
    for (int h = 0; h < heads; ++h) {
      const MatrixRM& p = head(l, h).probs;
      const auto& g = golden[l][h];
      ASSERT_EQ(static_cast<size_t>(p.rows()), g.size()) << label;
      ASSERT_EQ(static_cast<size_t>(p.cols()), g[0].size()) << label;
      const int cols = static_cast<int>(p.cols());
      EXPECT_TRUE(all_close(
          label + " L" + std::to_string(l) + " H" + std::to_string(h), static_cast<int>(p.size()),
          [&](int i) { return p(i / cols, i % cols); }, [&](int i) { return g[i / cols][i % cols].get<float>(); }, 1e-4, 0, worst));
    }
}

void expect_hidden(const std::string& what, const Eigen::Ref<const Eigen::RowVectorXf>& actual, const json& golden, double* worst) {
  ASSERT_EQ(static_cast<size_t>(actual.size()), golden.size()) << what;
  EXPECT_TRUE(all_close(
      what, static_cast<int>(actual.size()), [&](int i) { return actual(i); }, [&](int i) { return golden[i].get<float>(); }, 1e-4, 1e-3,
      worst));
}

// The engine's logit at each golden id, and its own five largest logits.
void expect_top5(const MatrixRM& logits, const json& ids, const json& values, const std::string& label) {
  ASSERT_EQ(static_cast<size_t>(logits.rows()), ids.size()) << label;
  for (int t = 0; t < static_cast<int>(logits.rows()); ++t) {
    auto row = logits.row(t);
    std::vector<float> mine(row.data(), row.data() + row.size());
    std::partial_sort(mine.begin(), mine.begin() + 5, mine.end(), std::greater<>());
    const std::string at = label + " position " + std::to_string(t);
    EXPECT_TRUE(all_close(
        at + " logits at golden top-5 ids", 5, [&](int i) { return row(ids[t][i].get<int>()); },
        [&](int i) { return values[t][i].get<float>(); }, 1e-3, 1e-3));
    EXPECT_TRUE(all_close(
        at + " own top-5 logits", 5, [&](int i) { return mine[static_cast<size_t>(i)]; }, [&](int i) { return values[t][i].get<float>(); },
        1e-3, 1e-3));
  }
}

std::set<std::pair<int, int>> masked_heads(const json& matrix) {
  std::set<std::pair<int, int>> heads;
  for (int l = 0; l < static_cast<int>(matrix.size()); ++l)
    for (int h = 0; h < static_cast<int>(matrix[l].size()); ++h)
      if (matrix[l][h].get<double>() == 0.0) heads.insert({l, h});
  return heads;
}

class Seq2SeqFixture : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = testing::fixture(GetParam());
    golden_ = testing::read_json(dir_ / "golden.json");
    model_ = load_model(dir_);
    ASSERT_TRUE(is_encoder_decoder(*model_));
  }
  int L() const { return model_->config.n_layers; }
  int Ld() const { return model_->encoder_decoder->config.n_decoder_layers; }
  int H() const { return model_->config.n_heads; }

  std::shared_ptr<const AttentionSnapshot> run(const json& gc, const Interventions& iv = {}) {
    RunOptions options;
    options.keep_logits = true;
    options.interventions = iv;
    return run_seq2seq_tokens(model_, testing::tokens_of_ids(gc["input_ids"]), testing::tokens_of_ids(gc["decoder_input_ids"]), options);
  }

  void expect_encoder(const AttentionSnapshot& s, const json& golden, const std::string& label) {
    expect_attention([&](int l, int h) -> const HeadCapture& { return s.head(l, h); }, L(), H(), golden, label + " encoder attention",
                     &worst_.attention);
  }
  void expect_decoder(const AttentionSnapshot& s, const json& golden, const std::string& label) {
    expect_attention([&](int l, int h) -> const HeadCapture& { return s.decoder->self_head(l, h); }, Ld(), H(), golden,
                     label + " decoder attention", &worst_.attention);
  }
  void expect_cross(const AttentionSnapshot& s, const json& golden, const std::string& label) {
    expect_attention([&](int l, int h) -> const HeadCapture& { return s.decoder->cross_head(l, h); }, Ld(), H(), golden,
                     label + " cross attention", &worst_.attention);
  }

  std::filesystem::path dir_;
  json golden_;
  std::shared_ptr<const Model> model_;
  Worst worst_;
};

TEST_P(Seq2SeqFixture, DimensionsAndDefaults) {
  const json& dims = golden_["dims"];
  EXPECT_EQ(L(), dims["num_layers"].get<int>());
  EXPECT_EQ(Ld(), dims["num_decoder_layers"].get<int>());
  EXPECT_EQ(H(), dims["num_heads"].get<int>());
  EXPECT_EQ(model_->config.head_dim, dims["head_dim"].get<int>());
  EXPECT_EQ(model_->config.dim, dims["hidden_size"].get<int>());
  EXPECT_EQ(model_->config.ffn_dim, dims["ffn_dim"].get<int>());
  EXPECT_EQ(model_->config.vocab_size, dims["vocab_size"].get<int>());
  const EncoderDecoderConfig& dc = model_->encoder_decoder->config;
  EXPECT_EQ(dc.decoder_start_id, golden_["decoder_start_token_id"].get<int>());
  EXPECT_EQ(dc.eos_id, golden_["eos_token_id"].get<int>());
  EXPECT_EQ(dc.suppressed_ids, golden_["generation"]["suppressed_token_ids"].get<std::vector<int>>());
  if (GetParam() != "marian") {
    EXPECT_EQ(dc.relative_max_distance, 128);  // absent from config.json
  }
}

TEST_P(Seq2SeqFixture, TeacherForcedCasesMatchGolden) {
  const int full_case = golden_["full_logits_case"].get<int>();
  const Tokenizer& target = *model_->encoder_decoder->target_tokenizer;
  for (int ci = 0; ci < static_cast<int>(golden_["cases"].size()); ++ci) {
    const json& gc = golden_["cases"][ci];
    const std::string label = GetParam() + "/" + gc["name"].get<std::string>();
    SCOPED_TRACE(label);
    EXPECT_EQ(testing::ids_of(model_->tokenizer->encode(gc["text"].get<std::string>())), gc["input_ids"].get<std::vector<int>>());
    EXPECT_EQ(testing::ids_of(target.encode(gc["target_text"].get<std::string>())), gc["labels"].get<std::vector<int>>());
    EXPECT_EQ(testing::ids_of(decoder_input_for(*model_, gc["target_text"].get<std::string>())),
              gc["decoder_input_ids"].get<std::vector<int>>());

    auto snap = run(gc);
    const DecoderCapture& dec = *snap->decoder;
    const int Ts = snap->n_tokens, Tt = dec.n_tokens;
    expect_encoder(*snap, gc["encoder_attentions"], label);
    expect_decoder(*snap, gc["decoder_attentions"], label);
    expect_cross(*snap, gc["cross_attentions"], label);
    for (int l = 0; l < L(); ++l)
      expect_hidden(label + " encoder hidden " + std::to_string(l), snap->residual[static_cast<size_t>(l)].row(Ts - 1),
                    gc["encoder_hidden_states_last_token"][l], &worst_.hidden);
    expect_hidden(label + " encoder hidden last", snap->final_hidden.row(Ts - 1), gc["encoder_hidden_states_last_token"][L()],
                  &worst_.hidden);
    expect_hidden(label + " encoder output", snap->final_hidden.row(Ts - 1), gc["encoder_last_hidden_state_last_token"], &worst_.hidden);
    for (int l = 0; l < Ld(); ++l)
      expect_hidden(label + " decoder hidden " + std::to_string(l), dec.residual[static_cast<size_t>(l)].row(Tt - 1),
                    gc["decoder_hidden_states_last_token"][l], &worst_.hidden);
    expect_hidden(label + " decoder hidden last", dec.final_hidden.row(Tt - 1), gc["decoder_hidden_states_last_token"][Ld()],
                  &worst_.hidden);
    expect_hidden(label + " decoder output", dec.final_hidden.row(Tt - 1), gc["decoder_last_hidden_state_last_token"], &worst_.hidden);
    expect_top5(dec.logits, gc["top5_ids"], gc["top5_logits"], label);
    if (ci == full_case) {
      const int V = model_->config.vocab_size;
      const json& logits = gc["logits"];
      EXPECT_TRUE(all_close(
          label + " full logits", Tt * V, [&](int i) { return dec.logits(i / V, i % V); },
          [&](int i) { return logits[i / V][i % V].get<float>(); }, 1e-3, 1e-3));
    }
  }
  std::cout << "[ " << GetParam() << " ] max |attention error| " << worst_.attention << ", max |hidden error| " << worst_.hidden << "\n";
}

TEST_P(Seq2SeqFixture, HeadMasksOfEachKind) {
  const json& mask = golden_["head_mask"];
  const int full_case = golden_["full_logits_case"].get<int>();
  for (int ci = 0; ci < static_cast<int>(golden_["cases"].size()); ++ci) {
    const json& gc = golden_["cases"][ci];
    const std::string label = GetParam() + "/" + gc["name"].get<std::string>();
    SCOPED_TRACE(label);
    Interventions enc, dec, cross;
    enc.ablated_heads = masked_heads(mask["matrix"]);
    dec.ablated_decoder_heads = masked_heads(mask["decoder_matrix"]);
    cross.ablated_cross_heads = masked_heads(mask["cross_matrix"]);
    ASSERT_EQ(enc.ablated_heads.size(), 1u);

    auto s = run(gc, enc);
    const json& ge = gc["head_masked_encoder"];
    expect_top5(s->decoder->logits, ge["top5_ids"], ge["top5_logits"], label + " encoder-masked");
    expect_hidden(label + " encoder-masked encoder output", s->final_hidden.row(s->n_tokens - 1),
                  ge["encoder_last_hidden_state_last_token"], &worst_.hidden);
    expect_hidden(label + " encoder-masked decoder output", s->decoder->final_hidden.row(s->decoder->n_tokens - 1),
                  ge["decoder_last_hidden_state_last_token"], &worst_.hidden);
    if (ci == full_case) expect_encoder(*s, ge["encoder_attentions"], label + " encoder-masked");

    s = run(gc, dec);
    const json& gd = gc["head_masked_decoder"];
    expect_top5(s->decoder->logits, gd["top5_ids"], gd["top5_logits"], label + " decoder-masked");
    expect_hidden(label + " decoder-masked decoder output", s->decoder->final_hidden.row(s->decoder->n_tokens - 1),
                  gd["decoder_last_hidden_state_last_token"], &worst_.hidden);
    if (ci == full_case) expect_decoder(*s, gd["decoder_attentions"], label + " decoder-masked");

    s = run(gc, cross);
    const json& gx = gc["head_masked_cross"];
    expect_top5(s->decoder->logits, gx["top5_ids"], gx["top5_logits"], label + " cross-masked");
    expect_hidden(label + " cross-masked decoder output", s->decoder->final_hidden.row(s->decoder->n_tokens - 1),
                  gx["decoder_last_hidden_state_last_token"], &worst_.hidden);
    if (ci == full_case) expect_cross(*s, gx["cross_attentions"], label + " cross-masked");
  }
}

TEST_P(Seq2SeqFixture, GreedyDecodingMatchesGolden) {
  const int steps = golden_["generation"]["max_new_tokens"].get<int>();
  for (const json& gc : golden_["cases"]) {
    const std::string label = GetParam() + "/" + gc["name"].get<std::string>();
    SCOPED_TRACE(label);
    const GreedyTranslation greedy = translate_greedy(model_, testing::tokens_of_ids(gc["input_ids"]), steps);
    EXPECT_EQ(greedy.ids, gc["greedy"]["ids"].get<std::vector<int>>());
    expect_top5(greedy.step_logits, gc["greedy"]["top5_ids"], gc["greedy"]["top5_logits"], label + " greedy");
  }
}

TEST_P(Seq2SeqFixture, TokenizerCasesMatchTheSentencePieceLibrary) {
  const Tokenizer& target = *model_->encoder_decoder->target_tokenizer;
  for (const json& tc : golden_["tokenizer_cases"]) {
    const bool target_side = tc.value("side", "source") == "target";
    const std::vector<Token> tokens = (target_side ? target : *model_->tokenizer).encode(tc["text"].get<std::string>());
    EXPECT_EQ(testing::ids_of(tokens), tc["ids"].get<std::vector<int>>()) << "text: " << tc["text"];
    std::vector<std::string> pieces;
    for (const Token& t : tokens) pieces.push_back(t.piece);
    EXPECT_EQ(pieces, tc["tokens"].get<std::vector<std::string>>()) << "text: " << tc["text"];
  }
}

// The encoder's derived pre-softmax scores (what the Q/K/V view shows) give
// back its probabilities: T5's have no 1/sqrt(Dh) and carry the position bias.
TEST_P(Seq2SeqFixture, EncoderScoresReproduceTheProbabilities) {
  auto snap = run(golden_["cases"][0]);
  for (int l = 0; l < L(); ++l)
    for (int h = 0; h < H(); ++h) {
      MatrixRM p = snap->scores(l, h);
      softmax_rows(p);
      const MatrixRM& probs = snap->head(l, h).probs;
      const int T = snap->n_tokens;
      EXPECT_TRUE(all_close(
          "softmax(scores) L" + std::to_string(l) + " H" + std::to_string(h), T * T, [&](int i) { return p(i / T, i % T); },
          [&](int i) { return probs(i / T, i % T); }, 1e-6, 0));
    }
}

// T5 only: Marian has absolute sinusoid positions.
class T5Fixture : public Seq2SeqFixture {};

TEST_P(T5Fixture, PositionBucketsAndBias) {
  const EncoderDecoderConfig& dc = model_->encoder_decoder->config;
  const json& rb = golden_["relative_position_buckets"];
  for (size_t i = 0; i < rb["relative_position"].size(); ++i) {
    const int r = rb["relative_position"][i].get<int>();
    EXPECT_EQ(relative_position_bucket(r, true, dc.relative_buckets, dc.relative_max_distance), rb["encoder"][i].get<int>()) << r;
    EXPECT_EQ(relative_position_bucket(r, false, dc.relative_buckets, dc.relative_max_distance), rb["decoder"][i].get<int>()) << r;
  }
  const json& gc = golden_["cases"][golden_["full_logits_case"].get<int>()];
  auto snap = run(gc);
  for (const char* side : {"encoder", "decoder"}) {
    const bool enc = side[0] == 'e';
    const std::vector<MatrixRM>& bias = enc ? snap->decoder->encoder_position_bias : snap->decoder->decoder_position_bias;
    const json& buckets = gc["position_buckets"][side];
    const int T = static_cast<int>(buckets.size());
    for (int i = 0; i < T; ++i)
      for (int j = 0; j < T; ++j)
        EXPECT_EQ(relative_position_bucket(j - i, enc, dc.relative_buckets, dc.relative_max_distance), buckets[i][j].get<int>());
    ASSERT_EQ(bias.size(), static_cast<size_t>(H()));
    for (int h = 0; h < H(); ++h) {
      const json& g = gc["position_bias"][side][h];
      ASSERT_EQ(bias[static_cast<size_t>(h)].rows(), T);
      EXPECT_TRUE(all_close(
          std::string(side) + " position bias head " + std::to_string(h), T * T,
          [&](int i) { return bias[static_cast<size_t>(h)](i / T, i % T); }, [&](int i) { return g[i / T][i % T].get<float>(); }, 1e-4, 0));
    }
  }
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(EncoderDecoder, Seq2SeqFixture, ::testing::Values("marian", "t5", "t5-v1_1"), test_name);
INSTANTIATE_TEST_SUITE_P(EncoderDecoder, T5Fixture, ::testing::Values("t5", "t5-v1_1"), test_name);

}  // namespace
}  // namespace attnscope
