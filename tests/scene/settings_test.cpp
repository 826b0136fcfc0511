// Settings survive garbage: a corrupt or partly wrong file gives defaults for
// what is wrong, keeps what is right, and says so in one line.
#include <iterator>
#include <set>

#include <gtest/gtest.h>

#include "scene/settings.h"
#include "test_support.h"

namespace attnscope::testing {
namespace {

namespace fs = std::filesystem;
using attnscope::load_settings;
using attnscope::OpenedSettings;
using attnscope::Settings;

TEST(AppSettings, MissingFileGivesDefaultsWithoutNotice) {
  std::string notice = "x";
  const Settings s = load_settings(temp_dir("settings-missing") / "settings.json", &notice);
  EXPECT_TRUE(notice.empty());
  EXPECT_EQ(s.colormap, Colormap::Viridis);
  EXPECT_FLOAT_EQ(s.font_scale, 1.0f);
}

TEST(AppSettings, CorruptFileGivesDefaultsAndANotice) {
  const auto path = temp_dir("settings-corrupt") / "settings.json";
  write_file(path, "{ \"colormap\": \"magma\", ");  // cut off mid-object
  std::string notice;
  const Settings s = load_settings(path, &notice);
  EXPECT_NE(notice.find("not valid JSON"), std::string::npos) << notice;
  EXPECT_EQ(s.colormap, Colormap::Viridis);
}

TEST(AppSettings, EachFieldIsCheckedOnItsOwn) {
  const auto path = temp_dir("settings-fields") / "settings.json";
  write_file(path, R"({"colormap": "magma", "font_scale": 40, "presenter": "yes", "last_model": "/m", "one_based_heads": 1,
                       "recent_models": ["/a", 3, "/b", "/c", "/d", "/e", "/f", "/g", "/h", "/i"]})");
  std::string notice;
  const Settings s = load_settings(path, &notice);
  EXPECT_EQ(s.colormap, Colormap::Magma);
  EXPECT_FLOAT_EQ(s.font_scale, 1.0f);  // 40 is out of range
  EXPECT_FALSE(s.presenter);            // not a boolean
  EXPECT_FALSE(s.one_based_heads);      // 1 is not a boolean either
  EXPECT_EQ(s.last_model, "/m");
  ASSERT_EQ(static_cast<int>(s.recent_models.size()), kMaxRecentModels);
  EXPECT_EQ(s.recent_models.front(), "/a");
  EXPECT_NE(notice.find("font_scale"), std::string::npos) << notice;
  EXPECT_NE(notice.find("presenter"), std::string::npos) << notice;
  EXPECT_NE(notice.find("one_based_heads"), std::string::npos) << notice;
}

TEST(AppSettings, SaveThenLoadRoundTrips) {
  const auto path = temp_dir("settings-roundtrip") / "nested" / "settings.json";
  Settings s;
  s.colormap = Colormap::Blues;
  s.font_scale = 1.5f;
  s.presenter = true;
  s.one_based_heads = true;
  s.last_text = "The cat sat on the mat";
  for (int i = 0; i < 10; ++i) remember_model(s, "/models/" + std::to_string(i % 9));
  std::string error, notice;
  ASSERT_TRUE(save_settings(path, s, &error)) << error;
  const Settings back = load_settings(path, &notice);
  EXPECT_TRUE(notice.empty()) << notice;
  EXPECT_EQ(back.colormap, Colormap::Blues);
  EXPECT_FLOAT_EQ(back.font_scale, 1.5f);
  EXPECT_TRUE(back.presenter);
  EXPECT_TRUE(back.one_based_heads);
  EXPECT_EQ(back.last_text, s.last_text);
  EXPECT_EQ(back.recent_models, s.recent_models);
  EXPECT_EQ(back.recent_models.front(), "/models/0");  // the latest first, no duplicates
  EXPECT_EQ(static_cast<int>(back.recent_models.size()), kMaxRecentModels);
}

TEST(AppSettings, UnwritablePathReportsTheFile) {
  Settings s;
  std::string error;
  EXPECT_FALSE(save_settings("/proc/attnscope-no/settings.json", s, &error));
  EXPECT_NE(error.find("/proc/attnscope-no"), std::string::npos) << error;
}

// The app's start: a file that is not JSON is kept under a new name before
// the defaults take its place, so what the user had is never lost.
TEST(AppSettings, CorruptFileIsSetAsideBeforeDefaultsAreWritten) {
  ScopedTempDir dir("settings-set-aside");
  const auto path = dir / "settings.json";
  const std::string corrupt = "{ \"colormap\": \"magma\", ";
  write_file(path, corrupt);
  const OpenedSettings opened = open_app_settings(path);
  EXPECT_TRUE(opened.may_save);
  EXPECT_EQ(opened.settings.colormap, Colormap::Viridis);
  std::vector<fs::path> aside;
  for (const auto& entry : fs::directory_iterator(dir.path()))
    if (entry.path().filename().string().starts_with("settings.json.bad-")) aside.push_back(entry.path());
  ASSERT_EQ(aside.size(), 1u);
  EXPECT_EQ(read_file(aside[0]), corrupt);
  EXPECT_NE(opened.notice.find(aside[0].string()), std::string::npos) << opened.notice;
  std::string notice;
  load_settings(path, &notice);
  EXPECT_TRUE(notice.empty()) << "the defaults written in its place do not read back: " << notice;
}

TEST(AppSettings, SecondCorruptFileGetsItsOwnName) {
  ScopedTempDir dir("settings-set-aside-twice");
  const auto path = dir / "settings.json";
  write_file(path, "first");
  open_app_settings(path);
  write_file(path, "second");
  open_app_settings(path);
  std::set<std::string> kept;
  for (const auto& entry : fs::directory_iterator(dir.path()))
    if (entry.path().filename().string().starts_with("settings.json.bad-")) kept.insert(read_file(entry.path()));
  EXPECT_EQ(kept, (std::set<std::string>{"first", "second"}));
}

TEST(AppSettings, SettingsPathThatIsNotAFileIsLeftAlone) {
  ScopedTempDir dir("settings-folder");
  const auto path = dir / "settings.json";
  fs::create_directories(path / "inside");
  const OpenedSettings opened = open_app_settings(path);
  EXPECT_FALSE(opened.may_save);
  EXPECT_NE(opened.notice.find("settings.json"), std::string::npos) << opened.notice;
  EXPECT_TRUE(fs::is_directory(path / "inside"));
}

TEST(AppSettings, SaveReplacesItsOwnFileWithoutTemporaryLeftovers) {
  ScopedTempDir dir("settings-replace");
  const auto path = dir / "settings.json";
  Settings s;
  std::string error, notice;
  ASSERT_TRUE(save_settings(path, s, &error)) << error;
  s.colormap = Colormap::Magma;
  ASSERT_TRUE(save_settings(path, s, &error)) << error;
  EXPECT_EQ(load_settings(path, &notice).colormap, Colormap::Magma);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

}  // namespace
}  // namespace attnscope::testing
