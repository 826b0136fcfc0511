// Session files: every field survives a save and a read, and a file that is
// not a whole, valid session is refused with a message naming the field.
#include <string>

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "scene/session.h"
#include "core/error.h"
#include "test_support.h"

namespace attnscope {
namespace {

using testing::temp_dir;
using testing::write_file;

Scene unusual_session() {
  Scene s;
  s.model_path = "/models/gpt2 folder/ünïcode";
  s.text = "The animal didn't cross the street\nbecause it was too \"tired\"";
  s.selection.layer = 3;
  s.selection.head = 7;
  s.selection.mode = HeadMode::Max;
  s.selection.query = 9;
  s.selection.hovered_token = 4;  // not part of a session
  s.interventions.ablated_heads = {{0, 1}, {2, 3}};
  s.interventions.masked_keys = {0, 5};
  s.interventions.causal = false;
  s.show.heatmap = false;
  s.show.qkv = true;
  s.show.predictions = false;
  s.display.colormap = Colormap::Magma;
  s.display.scale = ColorScale::PerRow;
  s.display.hide_special = true;
  s.display.head_view_top_k = 0;
  s.display.head_view_threshold = 0.25f;
  s.target = "Le chat \"noir\"";
  s.forced = true;
  s.attention = AttentionKind::Cross;
  s.step = 4;
  s.alignment.mode = AlignMode::MaxHeads;
  s.alignment.words = false;
  s.show.alignment = false;
  s.interventions.ablated_decoder_heads = {{1, 2}};
  s.interventions.ablated_cross_heads = {{0, 0}, {1, 3}};
  s.text_b = "The animal didn't cross the street because it was too \"wide\"";
  s.show.minimal_pair = true;
  return s;
}

void expect_same(const Scene& a, const Scene& b) {
  EXPECT_EQ(a.model_path, b.model_path);
  EXPECT_EQ(a.text, b.text);
  EXPECT_EQ(a.selection.layer, b.selection.layer);
  EXPECT_EQ(a.selection.head, b.selection.head);
  EXPECT_EQ(a.selection.mode, b.selection.mode);
  EXPECT_EQ(a.selection.query, b.selection.query);
  EXPECT_EQ(a.interventions.ablated_heads, b.interventions.ablated_heads);
  EXPECT_EQ(a.interventions.masked_keys, b.interventions.masked_keys);
  EXPECT_EQ(a.interventions.causal, b.interventions.causal);
  EXPECT_EQ(a.show.heatmap, b.show.heatmap);
  EXPECT_EQ(a.show.head_view, b.show.head_view);
  EXPECT_EQ(a.show.model_view, b.show.model_view);
  EXPECT_EQ(a.show.qkv, b.show.qkv);
  EXPECT_EQ(a.show.predictions, b.show.predictions);
  EXPECT_EQ(a.display.colormap, b.display.colormap);
  EXPECT_EQ(a.display.scale, b.display.scale);
  EXPECT_EQ(a.display.hide_special, b.display.hide_special);
  EXPECT_EQ(a.display.head_view_top_k, b.display.head_view_top_k);
  EXPECT_EQ(a.display.head_view_threshold, b.display.head_view_threshold);
  EXPECT_EQ(a.target, b.target);
  EXPECT_EQ(a.forced, b.forced);
  EXPECT_EQ(a.attention, b.attention);
  EXPECT_EQ(a.step, b.step);
  EXPECT_EQ(a.alignment.mode, b.alignment.mode);
  EXPECT_EQ(a.alignment.words, b.alignment.words);
  EXPECT_EQ(a.show.alignment, b.show.alignment);
  EXPECT_EQ(a.interventions.ablated_decoder_heads, b.interventions.ablated_decoder_heads);
  EXPECT_EQ(a.interventions.ablated_cross_heads, b.interventions.ablated_cross_heads);
  EXPECT_EQ(a.text_b, b.text_b);
  EXPECT_EQ(a.show.minimal_pair, b.show.minimal_pair);
}

TEST(Session, FileRoundTripKeepsEveryField) {
  const auto path = temp_dir("session-roundtrip") / "s.json";
  const Scene saved = unusual_session();
  write_session_file(path, saved);
  const Scene read = read_session_file(path);
  expect_same(saved, read);
  EXPECT_EQ(read.selection.hovered_token, -1);
}

// A session saved before encoder-decoder models were supported has none of
// their fields: it opens with the defaults (greedy translation, every step).
TEST(Session, SessionWithoutTranslationFieldsStillOpens) {
  nlohmann::json old = session_to_json(unusual_session());
  for (const char* field : {"target", "forced", "attention", "step", "alignment"}) old.erase(field);
  old["interventions"].erase("ablated_decoder_heads");
  old["interventions"].erase("ablated_cross_heads");
  old["views"].erase("alignment");
  const Scene s = session_from_json(old, "old.json");
  const Scene defaults;
  EXPECT_EQ(s.text, unusual_session().text);
  EXPECT_EQ(s.target, defaults.target);
  EXPECT_FALSE(s.forced);
  EXPECT_EQ(s.attention, AttentionKind::Self);
  EXPECT_EQ(s.step, -1);
  EXPECT_TRUE(s.alignment.words);
  EXPECT_TRUE(s.show.alignment);
  EXPECT_TRUE(s.interventions.ablated_decoder_heads.empty());
  EXPECT_TRUE(s.interventions.ablated_cross_heads.empty());
  // Present but wrong is still an error naming the field.
  old["attention"] = "sideways";
  EXPECT_THROW(session_from_json(old, "old.json"), Error);
}

// Sessions saved before the minimal-pair view existed open with no sentence B and the view closed.
TEST(Session, SessionWithoutSentenceBStillOpens) {
  nlohmann::json old = session_to_json(unusual_session());
  EXPECT_EQ(old.at("text_b"), unusual_session().text_b);
  EXPECT_EQ(old.at("views").at("minimal_pair"), true);
  old.erase("text_b");
  old["views"].erase("minimal_pair");
  const Scene s = session_from_json(old, "old.json");
  EXPECT_EQ(s.text_b, "");
  EXPECT_FALSE(s.show.minimal_pair);
  old["text_b"] = 3;
  EXPECT_THROW(session_from_json(old, "old.json"), Error);
}

TEST(Session, ModelsOwnCausalMaskIsKeptAsNull) {
  Scene s = unusual_session();
  s.interventions.causal.reset();
  EXPECT_TRUE(session_to_json(s)["interventions"]["causal"].is_null());
  EXPECT_FALSE(session_from_json(session_to_json(s), "s.json").interventions.causal.has_value());
}

TEST(Session, CaptureAndApplyReproduceTheState) {
  AppState before;
  const Scene s = unusual_session();
  apply_session_inputs(s, before);
  apply_session_selection(s, before);
  before.display.font_scale = 2.0f;  // the reader's, not the session's
  AppState after;
  after.display.font_scale = 1.5f;
  after.run_requested = false;
  const Scene captured = capture_session(before);
  apply_session_inputs(captured, after);
  apply_session_selection(captured, after);
  EXPECT_TRUE(after.run_requested);
  EXPECT_EQ(after.text, s.text);
  EXPECT_EQ(after.display.font_scale, 1.5f);
  expect_same(capture_session(after), capture_session(before));
}

TEST(Session, MissingOrMistypedFieldIsAnErrorNamingIt) {
  const nlohmann::json good = session_to_json(unusual_session());
  const std::vector<std::pair<nlohmann::json::json_pointer, nlohmann::json>> bad = {
      {nlohmann::json::json_pointer("/selection/layer"), -1},
      {nlohmann::json::json_pointer("/selection/head"), "2"},
      {nlohmann::json::json_pointer("/selection/head_mode"), "median"},
      {nlohmann::json::json_pointer("/interventions/ablated_heads"), nlohmann::json::array({nlohmann::json::array({1})})},
      {nlohmann::json::json_pointer("/interventions/causal"), "yes"},
      {nlohmann::json::json_pointer("/display/colormap"), "rainbow"},
      {nlohmann::json::json_pointer("/display/head_view_threshold"), 2.0},
      {nlohmann::json::json_pointer("/views/qkv"), 1},
      {nlohmann::json::json_pointer("/forced"), "yes"},
      {nlohmann::json::json_pointer("/step"), -2},
      {nlohmann::json::json_pointer("/attention"), "sideways"},
      {nlohmann::json::json_pointer("/interventions/ablated_cross_heads"), nlohmann::json::array({1})},
  };
  for (const auto& [pointer, value] : bad) {
    nlohmann::json data = good;
    data[pointer] = value;
    try {
      session_from_json(data, "bad.json");
      ADD_FAILURE() << "accepted " << pointer.to_string() << " = " << value.dump();
    } catch (const Error& e) {
      const std::string field = pointer.back();
      EXPECT_NE(std::string(e.what()).find("bad.json"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
    }
  }
  nlohmann::json no_text = good;
  no_text.erase("text");
  EXPECT_THROW(session_from_json(no_text, "bad.json"), Error);
  nlohmann::json newer = good;
  newer["attnscope_session"] = kSessionVersion + 1;
  EXPECT_THROW(session_from_json(newer, "bad.json"), Error);
}

TEST(Session, CorruptOrMissingFileIsAnError) {
  const auto dir = temp_dir("session-corrupt");
  write_file(dir / "truncated.json", session_to_json(unusual_session()).dump().substr(0, 40));
  write_file(dir / "array.json", "[1, 2, 3]");
  for (const char* name : {"truncated.json", "array.json", "missing.json"}) {
    try {
      read_session_file(dir / name);
      ADD_FAILURE() << name << " was accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  }
}

TEST(Session, UnwritablePathIsAnError) {
  EXPECT_THROW(write_session_file("/nonexistent-dir/attnscope/s.json", unusual_session()), Error);
}

TEST(Session, ExistingFileIsReplacedOnlyWhenAllowed) {
  testing::ScopedTempDir dir("session-existing");
  const auto path = dir / "s.json";
  testing::write_file(path, "mine");
  try {
    write_session_file(path, unusual_session());
    ADD_FAILURE() << "an existing file was replaced";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("already exists"), std::string::npos) << e.what();
  }
  EXPECT_EQ(testing::read_file(path), "mine");
  write_session_file(path, unusual_session(), Overwrite::Allow);
  expect_same(unusual_session(), read_session_file(path));
}

TEST(Session, FifoNamedLikeASessionFailsAtOnce) {
  testing::ScopedTempDir dir("session-fifo");
  const auto path = dir / "s.json";
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  EXPECT_THROW(read_session_file(path), Error);  // a blocking open would hang here
}

}  // namespace
}  // namespace attnscope
