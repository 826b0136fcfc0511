// Every fixture model in ../shared/fixtures against its golden.json, computed
// by an independent implementation of Hugging Face's semantics. Tolerances
// are the fixture README's: attention and q/k/v 1e-4 absolute, hidden states
// 1e-4 + 1e-3|b|, logits 1e-3 + 1e-3|b|.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <sstream>

#include "core/forward.h"
#include "core/model.h"
#include "test_support.h"

namespace attnscope {
namespace {

using nlohmann::json;

// Compares n values with tolerance atol + rtol|expected|; reports the worst one.
::testing::AssertionResult close(const std::string& what, int n, const std::function<float(int)>& actual,
                                 const std::function<float(int)>& expected, double atol, double rtol) {
  double worst = 0;
  int worst_at = -1;
  for (int i = 0; i < n; ++i) {
    double a = actual(i), b = expected(i);
    double excess = std::abs(a - b) - (atol + rtol * std::abs(b));
    if (!(excess <= 0) && (worst_at < 0 || excess > worst)) {
      worst = excess;
      worst_at = i;
    }
  }
  if (worst_at < 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << what << ": element " << worst_at << " is " << actual(worst_at) << ", golden "
                                       << expected(worst_at);
}

std::vector<Token> tokens_of(const json& ids) {
  std::vector<Token> tokens;
  for (const auto& id : ids) {
    Token t;
    t.id = id.get<int>();
    tokens.push_back(t);
  }
  return tokens;
}

void expect_attentions(const AttentionSnapshot& snap, const json& golden, const std::string& label) {
  const int T = snap.n_tokens;
  for (int l = 0; l < snap.n_layers; ++l)
    for (int h = 0; h < snap.n_heads; ++h) {
      const auto& g = golden[l][h];
      const auto& p = snap.head(l, h).probs;
      EXPECT_TRUE(close(label + " attention L" + std::to_string(l) + " H" + std::to_string(h), T * T,
                        [&](int i) { return p(i / T, i % T); },
                        [&](int i) { return g[i / T][i % T].get<float>(); }, 1e-4, 0));
    }
}

// Two checks that together prove the same top-5 without depending on the order
// of near-tied ids: the engine's logit at every golden id, and the engine's own
// five largest logits against the golden five.
void expect_top5(const AttentionSnapshot& snap, const json& ids, const json& logits, const std::string& label) {
  const int T = snap.n_tokens;
  ASSERT_EQ(snap.logits.rows(), T) << label;
  for (int t = 0; t < T; ++t) {
    auto row = snap.logits.row(t);
    std::vector<float> mine(row.data(), row.data() + row.size());
    std::partial_sort(mine.begin(), mine.begin() + 5, mine.end(), std::greater<>());
    const std::string at = label + " position " + std::to_string(t);
    EXPECT_TRUE(close(at + " logits at golden top-5 ids", 5, [&](int i) { return row(ids[t][i].get<int>()); },
                      [&](int i) { return logits[t][i].get<float>(); }, 1e-3, 1e-3));
    EXPECT_TRUE(close(at + " own top-5 logits", 5, [&](int i) { return mine[static_cast<size_t>(i)]; },
                      [&](int i) { return logits[t][i].get<float>(); }, 1e-3, 1e-3));
  }
}

void expect_vector(const std::string& what, const Eigen::Ref<const Eigen::RowVectorXf>& actual, const json& golden) {
  ASSERT_EQ(static_cast<size_t>(actual.size()), golden.size()) << what;
  EXPECT_TRUE(close(what, static_cast<int>(actual.size()), [&](int i) { return actual(i); },
                    [&](int i) { return golden[i].get<float>(); }, 1e-4, 1e-3));
}

class FixtureTest : public ::testing::TestWithParam<std::string> {};

TEST_P(FixtureTest, MatchesGoldenOutputs) {
  const auto dir = testing::fixture(GetParam());
  const json golden = testing::read_json(dir / "golden.json");
  std::shared_ptr<const Model> model = load_model(dir);
  const ModelConfig& c = model->config;
  ASSERT_EQ(c.n_layers, golden["dims"]["num_layers"].get<int>());
  ASSERT_EQ(c.n_heads, golden["dims"]["num_heads"].get<int>());
  ASSERT_EQ(c.n_kv_heads, golden["dims"]["num_kv_heads"].get<int>());
  ASSERT_EQ(c.head_dim, golden["dims"]["head_dim"].get<int>());
  ASSERT_EQ(c.vocab_size, golden["dims"]["vocab_size"].get<int>());

  RunOptions options;
  options.keep_logits = true;
  RunOptions masked = options;
  masked.interventions.ablated_heads = {{golden["head_mask"]["layer"].get<int>(), golden["head_mask"]["head"].get<int>()}};
  const int full_case = golden["full_logits_case"].get<int>();

  int case_index = 0;
  for (const auto& gc : golden["cases"]) {
    const std::string label = GetParam() + "/" + gc["name"].get<std::string>();
    SCOPED_TRACE(label);
    // The tokenizer must give the golden ids; the forward pass is then fed them directly.
    std::vector<int> encoded;
    for (const Token& t : model->tokenizer->encode(gc["text"].get<std::string>())) encoded.push_back(t.id);
    EXPECT_EQ(encoded, gc["input_ids"].get<std::vector<int>>());

    auto snap = run_tokens(model, tokens_of(gc["input_ids"]), options);
    const int T = snap->n_tokens, Dh = c.head_dim;
    ASSERT_EQ(T, gc["num_tokens"].get<int>());
    expect_attentions(*snap, gc["attentions"], label);
    for (const char* name : {"q", "k", "v"}) {
      const auto& g = gc["layer0"][name];
      for (int h = 0; h < c.n_heads; ++h) {
        const auto& cap = snap->head(0, h);
        const MatrixRM& m = name[0] == 'q' ? cap.q : name[0] == 'k' ? cap.k : cap.v;
        EXPECT_TRUE(close(label + " layer0." + name + " head " + std::to_string(h), T * Dh, [&](int i) { return m(i / Dh, i % Dh); },
                          [&](int i) { return g[h][i / Dh][i % Dh].get<float>(); }, 1e-4, 0));
      }
    }
    const auto& hidden = gc["hidden_states_last_token"];
    for (int l = 0; l < c.n_layers; ++l)
      expect_vector(label + " hidden state " + std::to_string(l), snap->residual[static_cast<size_t>(l)].row(T - 1), hidden[l]);
    expect_vector(label + " last hidden state", snap->final_hidden.row(T - 1), gc["last_hidden_state_last_token"]);
    expect_top5(*snap, gc["top5_ids"], gc["top5_logits"], label);
    if (case_index == full_case) {
      const auto& logits = gc["logits"];
      EXPECT_TRUE(close(label + " full logits", T * c.vocab_size,
                        [&](int i) { return snap->logits(i / c.vocab_size, i % c.vocab_size); },
                        [&](int i) { return logits[i / c.vocab_size][i % c.vocab_size].get<float>(); }, 1e-3, 1e-3));
    }

    auto ablated = run_tokens(model, tokens_of(gc["input_ids"]), masked);
    expect_top5(*ablated, gc["head_masked"]["top5_ids"], gc["head_masked"]["top5_logits"], label + " head-masked");
    expect_vector(label + " head-masked last hidden state", ablated->final_hidden.row(T - 1),
                  gc["head_masked"]["last_hidden_state_last_token"]);
    if (case_index == full_case) expect_attentions(*ablated, gc["head_masked"]["attentions"], label + " head-masked");
    ++case_index;
  }

  // roberta: extra strings (spaces, non-ASCII, special tokens typed in the text).
  if (golden.contains("tokenizer_cases")) {
    for (const auto& tc : golden["tokenizer_cases"]) {
      EXPECT_EQ(testing::ids_of(model->tokenizer->encode(tc["text"].get<std::string>())), tc["ids"].get<std::vector<int>>())
          << "text: " << tc["text"];
    }
  }

  if (golden.contains("mlm")) {
    const json& mlm = golden["mlm"];
    std::vector<int> encoded;
    for (const Token& t : model->tokenizer->encode(mlm["text"].get<std::string>())) encoded.push_back(t.id);
    EXPECT_EQ(encoded, mlm["input_ids"].get<std::vector<int>>());
    auto snap = run_tokens(model, tokens_of(mlm["input_ids"]), options);
    const int pos = mlm["mask_position"].get<int>();
    EXPECT_EQ(snap->tokens[static_cast<size_t>(pos)].id, model->tokenizer->mask_id);
    auto row = snap->logits.row(pos);
    std::vector<float> mine(row.data(), row.data() + row.size());
    std::partial_sort(mine.begin(), mine.begin() + 5, mine.end(), std::greater<>());
    EXPECT_TRUE(close("mlm logits at golden ids", 5, [&](int i) { return row(mlm["top5_ids"][i].get<int>()); },
                      [&](int i) { return mlm["top5_logits"][i].get<float>(); }, 1e-3, 1e-3));
    EXPECT_TRUE(close("mlm own top-5", 5, [&](int i) { return mine[static_cast<size_t>(i)]; },
                      [&](int i) { return mlm["top5_logits"][i].get<float>(); }, 1e-3, 1e-3));
    // The snapshot's own predictions at [MASK] name the same best token.
    ASSERT_FALSE(snap->top[static_cast<size_t>(pos)].empty());
    EXPECT_FLOAT_EQ(snap->top[static_cast<size_t>(pos)][0].logit, mine[0]);
  }
}

INSTANTIATE_TEST_SUITE_P(AllFamilies, FixtureTest,
                         ::testing::Values("gpt2", "bert", "bert-legacy-names", "distilbert", "llama", "roberta"),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace attnscope
