// The command-line options of the head roles window and of head labels, for
// figure making and scripted checks:
//   --head-roles text|probe   open the window, scoring the current text or the probe text
//   --roles-sort COLUMN[:asc|:desc]   sort its table (layer, head, previous, next, first,
//                                     self, entropy, induction, role, preset)
//   --roles-click N           once scored, click the table's row N (0 = the top row)
//   --role-borders            colour the model view's borders by role
//   --one-based-heads         number layers and heads from 1
#pragma once
#include <functional>
#include <optional>
#include <string>

#include "scene/head_roles_table.h"
#include "scene/head_roles_worker.h"

namespace attnscope::app {

struct HeadRolesArgs {
  std::optional<RoleTextSource> source;  // set: open the window
  std::optional<RoleColumn> sort;
  bool descending = false;
  std::optional<int> click_row;
  bool role_borders = false;
  bool one_based = false;
};

// False when `flag` is none of the options above; throws Error (Usage) on a bad value.
bool take_head_roles_option(const std::string& flag, const std::function<std::string()>& value, HeadRolesArgs& args);

extern const char* const kHeadRolesUsage;

}  // namespace attnscope::app
