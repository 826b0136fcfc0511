// The "Head roles" window: every head's role scores as a sortable table
// (scene/head_roles_table.h), computed off the UI thread on the current text
// or the built-in probe text; a click on a row shows that head everywhere.
#pragma once
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "scene/head_roles_table.h"
#include "scene/head_roles_worker.h"

namespace attnscope::app {

struct App;

struct HeadRolesPanel {
  bool show = false;
  RoleTextSource source = RoleTextSource::CurrentText;
  RoleColumn sort_column = RoleColumn::Layer;
  bool descending = false;
  bool push_sort_to_table = false;  // a script chose the order: the header must show it too
  std::shared_ptr<const RoleScoresResult> shown;  // the latest result for the model on screen (may be stale text)
  std::vector<RoleRow> rows;                      // shown's rows, sorted as on screen
  HeadRolesWorker worker;
};

// Once per frame, before drawing: asks for the scores the window and the
// model view's role borders need, and takes finished ones.
void update_head_roles(App& app);
// True while scores someone needs are still being computed.
bool head_roles_pending(const App& app);

void draw_head_roles_window(App& app);
// What a click on the row-th row (as sorted on screen) does: shows that head.
// False when there is no such row.
bool select_role_row(App& app, int row);

// For a scripted run's sidecar: source, order and the rows as shown.
nlohmann::json describe_head_roles(const App& app);

}  // namespace attnscope::app
