// Switching positions off leaves attention with no way to tell order: with
// the causal mask off too, permuting the input only permutes every attention
// matrix, in rows and columns alike.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "core/forward.h"
#include "core/model.h"
#include "core/seq2seq.h"
#include "test_support.h"

namespace attnscope {
namespace {

const char* kText = "The animal didn't cross the street because it was too tired.";

// order[i] = the original position now at position i. Special tokens
// ([CLS], [SEP], BOS) stay where they are; the others are shuffled.
std::vector<int> shuffled_order(const std::vector<Token>& tokens) {
  std::vector<int> order(tokens.size());
  std::iota(order.begin(), order.end(), 0);
  std::vector<int> movable;
  for (int i = 0; i < static_cast<int>(tokens.size()); ++i)
    if (!tokens[static_cast<size_t>(i)].special) movable.push_back(i);
  std::vector<int> targets = movable;
  std::mt19937 rng(14);
  while (targets == movable) std::shuffle(targets.begin(), targets.end(), rng);
  for (size_t k = 0; k < movable.size(); ++k) order[static_cast<size_t>(movable[k])] = targets[k];
  return order;
}

std::vector<Token> permuted(const std::vector<Token>& tokens, const std::vector<int>& order) {
  std::vector<Token> out;
  for (int from : order) out.push_back(tokens[static_cast<size_t>(from)]);
  return out;
}

// Largest |P'(i, j) - P(order[i], order[j])| over every layer and head.
float permutation_error(const std::vector<HeadCapture>& original, const std::vector<HeadCapture>& moved,
                        const std::vector<int>& order) {
  float worst = 0;
  for (size_t hd = 0; hd < original.size(); ++hd) {
    const MatrixRM& p = original[hd].probs;  // [T, T]
    const MatrixRM& q = moved[hd].probs;     // [T, T]
    for (int i = 0; i < q.rows(); ++i)
      for (int j = 0; j < q.cols(); ++j)
        worst = std::max(worst, std::abs(q(i, j) - p(order[static_cast<size_t>(i)], order[static_cast<size_t>(j)])));
  }
  return worst;
}

RunOptions options_with(bool positions) {
  RunOptions options;
  options.interventions.causal = false;
  options.interventions.positions = positions;
  return options;
}

class PositionsOffTest : public ::testing::TestWithParam<std::string> {};

TEST_P(PositionsOffTest, PermutedInputGivesPermutedAttention) {
  auto model = load_model(testing::fixture(GetParam()));
  const std::vector<Token> tokens = model->tokenizer->encode(kText);
  const std::vector<int> order = shuffled_order(tokens);
  auto original = run_tokens(model, tokens, options_with(false));
  auto moved = run_tokens(model, permuted(tokens, order), options_with(false));
  EXPECT_LE(permutation_error(original->heads, moved->heads, order), 1e-5f);
}

TEST_P(PositionsOffTest, WithPositionsTheOrderMatters) {
  // The same check must fail when positions are on, or it proves nothing.
  auto model = load_model(testing::fixture(GetParam()));
  const std::vector<Token> tokens = model->tokenizer->encode(kText);
  const std::vector<int> order = shuffled_order(tokens);
  auto original = run_tokens(model, tokens, options_with(true));
  auto moved = run_tokens(model, permuted(tokens, order), options_with(true));
  EXPECT_GT(permutation_error(original->heads, moved->heads, order), 1e-3f);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, PositionsOffTest, ::testing::Values("gpt2", "bert", "distilbert", "roberta", "llama"));

class Seq2SeqPositionsOffTest : public ::testing::TestWithParam<std::string> {};

TEST_P(Seq2SeqPositionsOffTest, PermutedSourceGivesPermutedEncoderAttention) {
  auto model = load_model(testing::fixture(GetParam()));
  const std::vector<Token> source = model->tokenizer->encode(kText);
  const std::vector<int> order = shuffled_order(source);
  const std::vector<Token> start = {Token{}};  // id 0, the decoder start of Marian and T5
  RunOptions off;  // the causal switch does not apply to encoder-decoder models
  off.interventions.positions = false;
  auto original = run_seq2seq_tokens(model, source, start, off);
  auto moved = run_seq2seq_tokens(model, permuted(source, order), start, off);
  EXPECT_LE(permutation_error(original->heads, moved->heads, order), 1e-5f);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, Seq2SeqPositionsOffTest, ::testing::Values("marian", "t5"));

}  // namespace
}  // namespace attnscope
