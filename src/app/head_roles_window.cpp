#include "app/head_roles_window.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include <imgui.h>
#include <imgui_internal.h>  // ImGui::TableSetColumnSortDirection: a script's order shown in the header

#include "app/app.h"
#include "app/ui.h"
#include "scene/head_labels.h"

namespace attnscope::app {

namespace {

struct ColumnSpec {
  const char* title;
  RoleColumn column;
  const char* help;
};

// In the order of the issue: position, the four positional scores, entropy,
// induction, then the strongest role and the named head.
constexpr ColumnSpec kColumns[] = {
    {"L", RoleColumn::Layer, "layer"},
    {"H", RoleColumn::Head, "head"},
    {"previous", RoleColumn::Previous, "mean weight on the previous token"},
    {"next", RoleColumn::Next, "mean weight on the next token (0 in a causal model)"},
    {"first", RoleColumn::First, "mean weight on the first token, from the queries after it"},
    {"self", RoleColumn::Self, "mean weight of each token on itself"},
    {"entropy", RoleColumn::Entropy, "mean row entropy in nats: low = focused on a few tokens"},
    {"induction", RoleColumn::Induction,
     "on two copies of a random token sequence: mean weight from a token's second copy onto the token that followed "
     "its first copy"},
    {"role", RoleColumn::Strongest,
     "the strongest role: a mean weight of at least 0.3 and at least twice what uniform attention gives; of those, "
     "the largest multiple of uniform"},
    {"named head", RoleColumn::Preset, "a preset of the model (with its measured probe accuracy) or a published head"},
};
constexpr int kColumnCount = static_cast<int>(sizeof kColumns / sizeof kColumns[0]);

std::string wanted_text(const App& app) {
  return app.head_roles.source == RoleTextSource::ProbeText ? std::string(kRoleProbeText) : app.state.text;
}

bool needed(const App& app) { return app.state.model && (app.head_roles.show || app.state.display.role_borders); }

std::string accuracy_text(const RoleRow& row) {
  if (!row.accuracy) return {};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", *row.accuracy * 100.0);
  return buffer;
}

std::string named_cell(const App& app, const RoleRow& row) {
  std::string text = app.ui.have_symbols ? row.preset : ascii_arrows(row.preset);
  if (row.accuracy) text += "  " + accuracy_text(row);
  return text;
}

// A score cell: the number, brighter when it is this head's strongest role.
void score_cell(double value, bool strongest) {
  if (strongest) ImGui::Text("%.3f", value);
  else ImGui::TextDisabled("%.3f", value);
}

// Reads the header's order (the user clicked it) or, after a script chose
// one, writes it there first.
void sync_sort(HeadRolesPanel& panel) {
  if (panel.push_sort_to_table) {
    for (int i = 0; i < kColumnCount; ++i)
      if (kColumns[i].column == panel.sort_column)
        ImGui::TableSetColumnSortDirection(i, panel.descending ? ImGuiSortDirection_Descending : ImGuiSortDirection_Ascending,
                                           false);
    panel.push_sort_to_table = false;
  }
  ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs();
  if (!specs || !specs->SpecsDirty) return;
  if (specs->SpecsCount > 0) {
    panel.sort_column = static_cast<RoleColumn>(specs->Specs[0].ColumnUserID);
    panel.descending = specs->Specs[0].SortDirection == ImGuiSortDirection_Descending;
    sort_role_rows(panel.rows, panel.sort_column, panel.descending);
  }
  specs->SpecsDirty = false;
}

void draw_row(App& app, const RoleRow& row, int index) {
  const HeadRoles& r = row.roles;
  const AppState& s = app.state;
  const bool one_based = s.display.one_based_heads;
  const bool selected = s.selection.mode == HeadMode::Single && s.selection.layer == r.layer && s.selection.head == r.head &&
                        (!s.encoder_decoder() || s.attention == AttentionKind::Self);
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  char id[32];
  std::snprintf(id, sizeof id, "%d##row%d", shown_index(r.layer, one_based), index);
  if (ImGui::Selectable(id, selected, ImGuiSelectableFlags_SpanAllColumns)) select_role_row(app, index);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("%s: click to show this head in every view", head_label(r.layer, r.head, one_based).c_str());
  ImGui::TableNextColumn();
  ImGui::Text("%d", shown_index(r.head, one_based));
  const double scores[] = {r.previous, r.next, r.first, r.self};
  const HeadRole roles[] = {HeadRole::Previous, HeadRole::Next, HeadRole::First, HeadRole::Self};
  for (int i = 0; i < 4; ++i) {
    ImGui::TableNextColumn();
    score_cell(scores[i], row.strongest == roles[i]);
  }
  ImGui::TableNextColumn();
  ImGui::Text("%.2f", r.entropy);
  ImGui::TableNextColumn();
  score_cell(r.induction, row.strongest == HeadRole::Induction);
  ImGui::TableNextColumn();
  if (row.strongest == HeadRole::None) {
    ImGui::TextDisabled("-");
  } else {
    const Rgb8 c = role_color(row.strongest);
    ImGui::TextColored(ImVec4(c.r / 255.0f, c.g / 255.0f, c.b / 255.0f, 1.0f), "%s", role_name(row.strongest));
  }
  ImGui::TableNextColumn();
  if (!row.preset.empty()) ImGui::TextUnformatted(named_cell(app, row).c_str());
}

void draw_table(App& app) {
  HeadRolesPanel& panel = app.head_roles;
  const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg |
                                ImGuiTableFlags_BordersOuter | ImGuiTableFlags_BordersV | ImGuiTableFlags_Resizable |
                                ImGuiTableFlags_SizingFixedFit;
  if (!ImGui::BeginTable("head-roles", kColumnCount, flags)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  for (const ColumnSpec& c : kColumns) {
    ImGuiTableColumnFlags column_flags = c.column == RoleColumn::Layer ? ImGuiTableColumnFlags_DefaultSort : 0;
    if (c.column == RoleColumn::Preset) column_flags |= ImGuiTableColumnFlags_WidthStretch;
    // The role column is as wide as its longest name from the first frame on.
    const float width = c.column == RoleColumn::Strongest ? ImGui::CalcTextSize("previous token").x : 0.0f;
    ImGui::TableSetupColumn(c.title, column_flags, width, static_cast<ImGuiID>(c.column));
  }
  sync_sort(panel);
  ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
  for (int i = 0; i < kColumnCount; ++i) {
    ImGui::TableSetColumnIndex(i);
    ImGui::TableHeader(kColumns[i].title);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s\n(click to sort)", kColumns[i].help);
  }
  for (int i = 0; i < static_cast<int>(panel.rows.size()); ++i) draw_row(app, panel.rows[static_cast<size_t>(i)], i);
  ImGui::EndTable();
}

void draw_source_choice(App& app) {
  HeadRolesPanel& panel = app.head_roles;
  ImGui::TextUnformatted("Compute on:");
  ImGui::SameLine();
  int source = static_cast<int>(panel.source);
  ImGui::RadioButton("current text", &source, static_cast<int>(RoleTextSource::CurrentText));
  ImGui::SameLine();
  ImGui::RadioButton("built-in probe text", &source, static_cast<int>(RoleTextSource::ProbeText));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", kRoleProbeText);
  panel.source = static_cast<RoleTextSource>(source);
  ImGui::SameLine(0, ImGui::GetFontSize() * 1.5f);
  ImGui::Checkbox("Role borders in the model view", &app.state.display.role_borders);
}

void draw_status_line(const App& app) {
  const HeadRolesPanel& panel = app.head_roles;
  const bool stale = !panel.shown || panel.shown->text != wanted_text(app);
  if (panel.shown && !panel.shown->error.empty() && !stale) {
    ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "Cannot score the heads: %s", panel.shown->error.c_str());
    return;
  }
  if (stale) {
    ImGui::TextDisabled("Computing the head roles...");
    return;
  }
  char line[256];
  std::snprintf(line, sizeof line, "Scored on %d tokens of the %s%s; induction on two copies of a random token sequence.",
                panel.shown->scores->n_tokens,
                panel.source == RoleTextSource::ProbeText ? "built-in probe text" : "current text",
                panel.shown->scores->cut ? " (cut to the model's context)" : "");
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", line);
  ImGui::PopStyleColor();
}

}  // namespace

void update_head_roles(App& app) {
  HeadRolesPanel& panel = app.head_roles;
  panel.worker.poll();
  if (!app.state.model) {
    panel.shown.reset();
    panel.rows.clear();
    app.state.head_roles.reset();
    return;
  }
  if (panel.shown && panel.shown->model != app.state.model.get()) panel.shown.reset();  // another model's scores
  if (needed(app)) {
    if (auto result = panel.worker.request(app.state.model, wanted_text(app))) panel.shown = result;
  }
  app.state.head_roles = panel.shown ? panel.shown->scores : nullptr;
  panel.rows = panel.shown && panel.shown->scores ? role_rows(*panel.shown->scores, named_self_heads(*app.state.model))
                                                  : std::vector<RoleRow>{};
  sort_role_rows(panel.rows, panel.sort_column, panel.descending);
}

bool head_roles_pending(const App& app) {
  if (app.head_roles.worker.busy()) return true;
  if (!needed(app)) return false;
  const auto& shown = app.head_roles.shown;
  return !shown || shown->model != app.state.model.get() || shown->text != wanted_text(app);
}

bool select_role_row(App& app, int row) {
  if (row < 0 || row >= static_cast<int>(app.head_roles.rows.size())) return false;
  const HeadRoles& r = app.head_roles.rows[static_cast<size_t>(row)].roles;
  AppState& s = app.state;
  if (s.encoder_decoder()) s.attention = AttentionKind::Self;  // the scores are the encoder's self-attention
  s.selection.layer = r.layer;
  s.selection.head = r.head;
  s.selection.mode = HeadMode::Single;
  return true;
}

void draw_head_roles_window(App& app) {
  HeadRolesPanel& panel = app.head_roles;
  if (!panel.show) return;
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  const ImGuiCond cond = app.ui.reset_layout ? ImGuiCond_Always : ImGuiCond_FirstUseEver;
  // Wide enough for every column and the longest preset name with its accuracy.
  const float width = std::min(display.x * 0.9f, std::max(display.x * 0.5f, ImGui::GetFontSize() * 54.0f));
  ImGui::SetNextWindowPos(ImVec2((display.x - width) * 0.5f, display.y * 0.12f), cond);
  ImGui::SetNextWindowSize(ImVec2(width, display.y * 0.7f), cond);
  if (ImGui::Begin("Head roles", &panel.show)) {
    if (!app.state.model) {
      ImGui::TextDisabled("Open a model to score its heads.");
    } else {
      draw_source_choice(app);
      draw_status_line(app);
      draw_table(app);
    }
  }
  ImGui::End();
}

nlohmann::json describe_head_roles(const App& app) {
  const HeadRolesPanel& panel = app.head_roles;
  const bool one_based = app.state.display.one_based_heads;
  nlohmann::json rows = nlohmann::json::array();
  for (const RoleRow& row : panel.rows) {
    const HeadRoles& r = row.roles;
    nlohmann::json entry = {{"layer", r.layer},       {"head", r.head},   {"label", head_label(r.layer, r.head, one_based)},
                            {"previous", r.previous}, {"next", r.next},   {"first", r.first},
                            {"self", r.self},         {"entropy", r.entropy}, {"induction", r.induction},
                            {"role", role_key(row.strongest)}};
    if (!row.preset.empty()) entry["preset"] = row.preset;
    if (row.accuracy) entry["heldout_accuracy"] = *row.accuracy;
    rows.push_back(entry);
  }
  nlohmann::json out = {{"window_open", panel.show},
                        {"source", panel.source == RoleTextSource::ProbeText ? "probe" : "text"},
                        {"sort", role_column_key(panel.sort_column)},
                        {"descending", panel.descending},
                        {"one_based", one_based},
                        {"role_borders", app.state.display.role_borders},
                        {"rows", rows}};
  if (panel.shown) {
    out["text"] = panel.shown->text;
    out["error"] = panel.shown->error;
    if (panel.shown->scores) {
      const RoleBaselines& b = panel.shown->scores->baselines;
      out["baselines"] = {{"previous", b.previous}, {"next", b.next}, {"first", b.first}, {"self", b.self},
                          {"induction", b.induction}};
    }
  }
  return out;
}

}  // namespace attnscope::app
