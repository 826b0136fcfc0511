// Data exports: .npy written to NumPy's format spec and read back, BertViz
// JSON, CSV with labels, and no silent overwrite.
#include <gtest/gtest.h>

#include "core/error.h"
#include "core/export_data.h"
#include "core/forward.h"
#include "test_support.h"

namespace attnscope {
namespace {

std::shared_ptr<const AttentionSnapshot> sample_snapshot() {
  static auto model = load_model(testing::fixture("llama"));
  return run_text(model, "The cat sat on the mat, \"quietly\".", {});
}

TEST(Npy, HeaderFollowsTheFormatSpec) {
  NpyArray a{{2, 3}, {1, 2, 3, 4, 5, 6}};
  std::string bytes = npy_bytes(a);
  ASSERT_GE(bytes.size(), 10u);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  const size_t header_len = static_cast<unsigned char>(bytes[8]) | (static_cast<size_t>(static_cast<unsigned char>(bytes[9])) << 8);
  EXPECT_EQ((10 + header_len) % 64, 0u);
  const std::string header = bytes.substr(10, header_len);
  EXPECT_EQ(header.rfind("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 0), 0u) << header;
  EXPECT_EQ(header.back(), '\n');
  EXPECT_EQ(bytes.size(), 10 + header_len + 6 * sizeof(float));
  EXPECT_NE(npy_bytes(NpyArray{{4}, {1, 2, 3, 4}}).find("'shape': (4,), }"), std::string::npos);
}

TEST(Npy, AttentionAndQkvRoundTrip) {
  auto snap = sample_snapshot();
  for (NpyTensor t : {NpyTensor::Attention, NpyTensor::Q, NpyTensor::K, NpyTensor::V}) {
    NpyArray a = snapshot_array(*snap, t);
    NpyArray back = parse_npy(npy_bytes(a));
    EXPECT_EQ(back.shape, a.shape);
    EXPECT_EQ(back.data, a.data);
  }
  NpyArray attn = snapshot_array(*snap, NpyTensor::Attention);
  const int T = snap->n_tokens;
  ASSERT_EQ(attn.shape, (std::vector<std::int64_t>{snap->n_layers, snap->n_heads, T, T}));
  // Element [l][h][i][j] sits at ((l*H + h)*T + i)*T + j.
  const int l = 1, h = 2, i = 5, j = 3;
  EXPECT_EQ(attn.data[static_cast<size_t>(((l * snap->n_heads + h) * T + i) * T + j)], snap->head(l, h).probs(i, j));
  NpyArray k = snapshot_array(*snap, NpyTensor::K);
  EXPECT_EQ(k.shape[3], snap->head_dim);
  EXPECT_THROW(parse_npy("not numpy"), Error);
}

TEST(BertVizJson, HasTokensAttnAndMetadata) {
  auto snap = sample_snapshot();
  auto j = bertviz_json(*snap);
  ASSERT_EQ(j["tokens"].size(), static_cast<size_t>(snap->n_tokens));
  ASSERT_EQ(j["attn"].size(), static_cast<size_t>(snap->n_layers));
  ASSERT_EQ(j["attn"][0].size(), static_cast<size_t>(snap->n_heads));
  EXPECT_FLOAT_EQ(j["attn"][1][3][4][2].get<float>(), snap->head(1, 3).probs(4, 2));
  EXPECT_EQ(j["attnscope"]["model"], "llama");
  EXPECT_EQ(j["attnscope"]["text"], snap->text);
}

TEST(Csv, LabelsBothAxesAndQuotesWhereNeeded) {
  auto snap = sample_snapshot();
  std::string csv = attention_csv(*snap, 1, 0);
  const int T = snap->n_tokens;
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), T + 1);
  EXPECT_EQ(csv.rfind("query\\key,0:", 0), 0u);
  // Labels holding a comma or a quote are quoted, with quotes doubled.
  int quoted = 0;
  for (int t = 0; t < T; ++t) {
    const std::string& d = snap->tokens[static_cast<size_t>(t)].display;
    if (d.find_first_of(",\"") == std::string::npos) continue;
    std::string label = "\"" + std::to_string(t) + ":";
    for (char c : d) label += c == '"' ? std::string("\"\"") : std::string(1, c);
    EXPECT_NE(csv.find(label + "\""), std::string::npos) << label;
    ++quoted;
  }
  EXPECT_GE(quoted, 2);
  EXPECT_THROW(attention_csv(*snap, 99, 0), Error);
}

TEST(WriteExport, RefusesToOverwriteAndNamesUnwritablePaths) {
  const testing::ScopedTempDir dir("export");
  write_export(dir / "a.csv", "x", false);
  EXPECT_THROW(write_export(dir / "a.csv", "y", false), Error);
  write_export(dir / "a.csv", "y", true);
  EXPECT_EQ(testing::read_file(dir / "a.csv"), "y");
  try {
    write_export("/nonexistent/dir/a.csv", "x", false);
    FAIL() << "wrote into a missing folder";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/dir/a.csv"), std::string::npos);
  }
}

}  // namespace
}  // namespace attnscope
