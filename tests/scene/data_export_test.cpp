// File -> Export data: the files are the core's exports of the snapshot on
// screen, under default names that never replace an existing file.
//
// Shape legend: L layers, H heads, T tokens, Dh head dim.
#include <gtest/gtest.h>

#include "scene/data_export.h"
#include "core/error.h"
#include "core/export_data.h"
#include "core/forward.h"
#include "test_support.h"

namespace attnscope {
namespace {

using testing::fixture;
using testing::read_file;
using testing::temp_dir;

std::shared_ptr<const AttentionSnapshot> gpt2_snapshot() {
  static auto snap = [] {
    RunOptions options;
    options.predict = RunOptions::Predict::None;
    return run_text(load_model(fixture("gpt2")), "The cat sat on the mat", options);
  }();
  return snap;
}

TEST(DataExport, EveryKindWritesTheCoreExportOfTheSnapshot) {
  const auto dir = temp_dir("data-export");
  const auto snap = gpt2_snapshot();
  Selection sel;
  sel.layer = 1;
  sel.head = 1;
  for (DataExport kind : kAllDataExports) {
    const auto path = write_data_export(*snap, sel, kind, dir);
    EXPECT_EQ(path.filename().string(), default_data_export_name(sel, kind));
    const std::string bytes = read_file(path);
    switch (kind) {
      case DataExport::BertvizJson: {
        const auto j = nlohmann::json::parse(bytes);
        ASSERT_EQ(j.at("attn").size(), static_cast<size_t>(snap->n_layers));
        EXPECT_EQ(j.at("tokens").size(), static_cast<size_t>(snap->n_tokens));
        EXPECT_FLOAT_EQ(j["attn"][1][1][3][2].get<float>(), snap->head(1, 1).probs(3, 2));
        break;
      }
      case DataExport::CsvHead: EXPECT_EQ(bytes, attention_csv(*snap, 1, 1)); break;
      default: {
        const NpyArray a = parse_npy(bytes);
        const std::int64_t last = kind == DataExport::NpyAttention ? snap->n_tokens : snap->head_dim;
        EXPECT_EQ(a.shape, (std::vector<std::int64_t>{snap->n_layers, snap->n_heads, snap->n_tokens, last}));
        if (kind == DataExport::NpyAttention) {
          const size_t T = static_cast<size_t>(snap->n_tokens);
          // [L, H, T, T] in C order: element (1, 1, 3, 2).
          EXPECT_EQ(a.data[((1 * snap->n_heads + 1) * T + 3) * T + 2], snap->head(1, 1).probs(3, 2));
        }
      }
    }
  }
  EXPECT_EQ(default_data_export_name(sel, DataExport::CsvHead), "attnscope-L1H1.csv");
}

TEST(DataExport, ExistingFileIsNeverOverwritten) {
  const auto dir = temp_dir("data-export-twice");
  const auto snap = gpt2_snapshot();
  const Selection sel;
  const auto first = write_data_export(*snap, sel, DataExport::NpyQ, dir);
  testing::write_file(first, "keep me");
  const auto second = write_data_export(*snap, sel, DataExport::NpyQ, dir);
  EXPECT_NE(first, second);
  EXPECT_EQ(second.filename().string(), "attnscope-q-1.npy");
  EXPECT_EQ(read_file(first), "keep me");
}

TEST(DataExport, CsvNeedsASingleHeadAndAnUnwritableFolderIsAnError) {
  const auto snap = gpt2_snapshot();
  Selection mean;
  mean.mode = HeadMode::Mean;
  EXPECT_FALSE(data_export_available(mean, DataExport::CsvHead));
  EXPECT_TRUE(data_export_available(mean, DataExport::BertvizJson));
  EXPECT_THROW(write_data_export(*snap, mean, DataExport::CsvHead, temp_dir("data-export-mean")), Error);
  EXPECT_THROW(write_data_export(*snap, Selection{}, DataExport::CsvHead, "/nonexistent-dir/attnscope"), Error);
}

}  // namespace
}  // namespace attnscope
