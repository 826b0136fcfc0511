// File > Export data in the real app: the files hold the core's exports of
// the snapshot on screen, and a second export never replaces the first.
#include <gtest/gtest.h>

#include "core/export_data.h"
#include "core/forward.h"
#include "core/model.h"
#include "gui_runner.h"
#include "test_support.h"

namespace attnscope::testing {
namespace {

namespace fs = std::filesystem;

TEST(AppDataExport, FilesAreTheCoreExportsAndNeverOverwritten) {
  if (!have_xvfb()) GTEST_SKIP() << "xvfb-run is not installed (apt-get install xvfb)";
  const fs::path dir = temp_dir("gui-data-export");
  const std::string text = "The cat sat on the mat";
  const std::vector<std::string> args = {"--model", fixture("gpt2").string(), "--text", text, "--layer", "1", "--head", "2",
                                         "--ablate", "0:3", "--export-data", "json,npy-q,csv"};
  const GuiRun first = run_app(args, dir);
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("Data saved to"), std::string::npos) << first.output;
  const GuiRun second = run_app(args, dir);
  ASSERT_EQ(second.exit_code, 0) << second.output;

  RunOptions options;
  options.interventions.ablated_heads = {{0, 3}};
  options.predict = RunOptions::Predict::None;
  const auto snapshot = run_text(load_model(fixture("gpt2")), text, options);
  for (const char* csv : {"attnscope-L1H2.csv", "attnscope-L1H2-1.csv"})
    EXPECT_EQ(read_file(dir / csv), attention_csv(*snapshot, 1, 2)) << csv;
  const NpyArray q = parse_npy(read_file(dir / "attnscope-q.npy"));
  const NpyArray want_q = snapshot_array(*snapshot, NpyTensor::Q);
  EXPECT_EQ(q.shape, want_q.shape);
  EXPECT_EQ(q.data, want_q.data);
  EXPECT_TRUE(fs::exists(dir / "attnscope-q-1.npy"));
  const nlohmann::json bertviz = read_json(dir / "attnscope-attention.json");
  EXPECT_EQ(bertviz.at("attn").size(), static_cast<size_t>(snapshot->n_layers));
  EXPECT_FLOAT_EQ(bertviz["attn"][1][2][4][1].get<float>(), snapshot->head(1, 2).probs(4, 1));
  EXPECT_TRUE(fs::exists(dir / "attnscope-attention-1.json"));
}

}  // namespace
}  // namespace attnscope::testing
