// The benchmarks' synthetic checkpoints load through the ordinary loader with
// the shape asked for, tokenize any ASCII text, run, and are never written
// over an existing folder's files.
#include <filesystem>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/forward.h"
#include "core/model.h"
#include "core/synthetic_bert.h"
#include "core/synthetic_gpt2.h"

namespace attnscope {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const char* name) {
  const fs::path dir = fs::temp_directory_path() / name;
  fs::remove_all(dir);
  return dir;
}

// spaces_in_pieces: byte-level BPE keeps the spaces; WordPiece drops them.
void expect_runs_on_text(const std::shared_ptr<const Model>& model, bool spaces_in_pieces) {
  const std::string text = "The cat sat on the mat.";
  const auto snap = run_text(model, text, RunOptions{});
  ASSERT_GT(snap->n_tokens, 5);
  std::size_t covered = 0;  // the pieces spell the text: no [UNK]
  for (const Token& t : snap->tokens) {
    EXPECT_NE(t.piece, "[UNK]") << "every character has a piece";
    if (!t.special) covered += t.end - t.start;
  }
  EXPECT_EQ(covered, text.size() - (spaces_in_pieces ? 0 : 5));
  for (const HeadCapture& h : snap->heads)
    for (int q = 0; q < snap->n_tokens; ++q) EXPECT_NEAR(h.probs.row(q).sum(), 1.0f, 1e-5f);
}

TEST(SyntheticCheckpoints, BertLoadsWithItsShapeAndRuns) {
  const fs::path dir = fresh_dir("attnscope-synthetic-bert-test");
  write_synthetic_bert(dir, BertShape{2, 4, 32, 64, 300, 64}, 3);
  const auto model = load_model(dir);
  EXPECT_EQ(model->config.family, Family::Bert);
  EXPECT_EQ(model->config.n_layers, 2);
  EXPECT_EQ(model->config.n_heads, 4);
  EXPECT_EQ(model->config.dim, 32);
  EXPECT_EQ(model->config.ffn_dim, 64);
  EXPECT_EQ(model->config.vocab_size, 300);
  EXPECT_EQ(model->config.max_positions, 64);
  expect_runs_on_text(model, false);
  EXPECT_THROW(write_synthetic_bert(dir, BertShape{2, 4, 32, 64, 300, 64}, 3), Error);
  EXPECT_THROW(write_synthetic_bert(fresh_dir("attnscope-synthetic-bert-small"), BertShape{1, 1, 8, 8, 100, 8}, 1), Error);
  fs::remove_all(dir);
  fs::remove_all(fresh_dir("attnscope-synthetic-bert-small"));
}

TEST(SyntheticCheckpoints, Gpt2LoadsWithItsShapeAndRuns) {
  const fs::path dir = fresh_dir("attnscope-synthetic-gpt2-test");
  write_synthetic_gpt2(dir, Gpt2Shape{2, 4, 32, 300, 64}, 3);
  const auto model = load_model(dir);
  EXPECT_EQ(model->config.family, Family::Gpt2);
  EXPECT_EQ(model->config.n_layers, 2);
  EXPECT_EQ(model->config.dim, 32);
  EXPECT_EQ(model->config.vocab_size, 300);
  expect_runs_on_text(model, true);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace attnscope
