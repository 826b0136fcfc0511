// The positions switch in the option table and in session files.
#include <gtest/gtest.h>

#include "core/error.h"
#include "scene/scene_options.h"
#include "scene/session.h"

namespace attnscope {
namespace {

TEST(PositionsOption, NoPositionsSwitchReachesTheScene) {
  EXPECT_TRUE(is_scene_option("no-positions"));
  EXPECT_TRUE(scene_switch_options().count("no-positions"));
  SceneOverrides o;
  take_scene_option("no-positions", "", &o);
  Scene s;
  EXPECT_TRUE(s.interventions.positions);
  apply_overrides(o, &s);
  EXPECT_FALSE(s.interventions.positions);
  // Cleared in a batch line ({"no-positions": false}), the scene keeps its own.
  clear_scene_switch("no-positions", &o);
  Scene untouched;
  apply_overrides(o, &untouched);
  EXPECT_TRUE(untouched.interventions.positions);
}

TEST(PositionsOption, SessionKeepsPositionsOff) {
  Scene s;
  s.interventions.positions = false;
  const nlohmann::json saved = session_to_json(s);
  EXPECT_EQ(saved["interventions"]["positions"], false);
  EXPECT_FALSE(session_from_json(saved, "s.json").interventions.positions);
}

TEST(PositionsOption, SessionFromBeforeTheSwitchRunsWithPositions) {
  Scene s;
  s.interventions.positions = false;
  nlohmann::json old = session_to_json(s);
  old["interventions"].erase("positions");
  EXPECT_TRUE(session_from_json(old, "old.json").interventions.positions);
  old["interventions"]["positions"] = "no";
  EXPECT_THROW(session_from_json(old, "old.json"), Error);
}

}  // namespace
}  // namespace attnscope
