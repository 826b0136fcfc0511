#include "render/view_model.h"

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cstdio>
#include <string>

#include "render/figure_record.h"
#include "render/view_model_roles.h"
#include "scene/attention_view.h"
#include "scene/head_labels.h"

namespace attnscope {

namespace {

void show_summary(HeadSummary&& summary, HeadThumbnail& thumb) {
  thumb.entropy = summary.entropy;
  thumb.previous = summary.previous;
  thumb.values = std::move(summary.values);
  thumb.texture.upload(thumb.values.data(), static_cast<int>(thumb.values.rows()), static_cast<int>(thumb.values.cols()));
  thumb.ready = true;
}

// A figure export needs every thumbnail now: built on this thread.
void build_all_thumbnails(const HeadSummaryKey& want, ModelGrid& view) {
  const AttentionSnapshot& snap = *want.snapshot;
  for (int l = 0; l < snap.n_layers; ++l)
    for (int h = 0; h < snap.n_heads; ++h)
      show_summary(summarize_head(want, l, h), view.thumbnails[static_cast<size_t>(l * snap.n_heads + h)]);
  view.shown = view.requested = want;
  view.arrived.reset();
}

// Uploads arrived summaries until `budget_ms` is spent; true when all are.
bool upload_arrived(ModelGrid& view, double budget_ms) {
  HeadSummaries& arrived = *view.arrived;
  if (view.thumbnails.size() != arrived.heads.size()) {  // summaries of a model since replaced
    view.arrived.reset();
    return false;
  }
  const auto start = std::chrono::steady_clock::now();
  while (view.next_to_upload < static_cast<int>(arrived.heads.size())) {
    const size_t index = static_cast<size_t>(view.next_to_upload++);
    show_summary(std::move(arrived.heads[index]), view.thumbnails[index]);
    if (std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() >= budget_ms) break;
  }
  return view.next_to_upload == static_cast<int>(arrived.heads.size());
}

// Asks the worker for what the thumbnails should show when they do not show
// it yet, and uploads what it delivered (even for a snapshot since replaced,
// which is closer than the old pictures), within `budget_ms` of this frame.
// budget_ms < 0 (a figure export): everything now.
void update_thumbnails(const AppState& state, const std::shared_ptr<const AttentionSnapshot>& shown, ModelGrid& view,
                       double budget_ms) {
  const HeadSummaryKey want = head_summary_key(shown, state.display);
  const size_t count = static_cast<size_t>(shown->n_layers) * static_cast<size_t>(shown->n_heads);
  if (view.thumbnails.size() != count) {
    view.thumbnails.clear();  // another model: the old pictures mean nothing
    view.thumbnails.resize(count);
    view.shown.reset();
  }
  if (budget_ms < 0) {
    if (view.shown != want) build_all_thumbnails(want, view);
    return;
  }
  if (view.shown != want && view.requested != want) {
    if (!view.worker) view.worker = std::make_unique<HeadSummaryWorker>();
    view.worker->submit(want);
    view.requested = want;
  }
  if (view.worker)
    if (auto done = view.worker->poll(); done && (done->key == view.requested || view.shown != view.requested)) {
      view.arrived = std::move(*done);
      view.next_to_upload = 0;
    }
  if (view.arrived && upload_arrived(view, budget_ms)) {
    view.shown = view.arrived->key;
    view.arrived.reset();
  }
}

// One grid of thumbnails: a kind of attention, where its rows start and its SVG id prefix.
struct GridSection {
  AttentionKind kind = AttentionKind::Self;
  std::shared_ptr<const AttentionSnapshot> snap;
  ModelGrid* grid = nullptr;
  const char* title = nullptr;  // null: the model's only kind, no title
  const char* id = "";          // "" or "enc-", "dec-", "cross-"
};

// The role a section's thumbnail is framed with: role scores are about the
// encoder's (or the only) self-attention.
HeadRole section_role(const AppState& state, const GridSection& section, int layer, int head) {
  return section.kind == AttentionKind::Self ? shown_role(state, layer, head) : HeadRole::None;
}

void tooltip(const AppState& state, const GridSection& section, const HeadThumbnail& thumb, int layer, int head) {
  const AttentionSnapshot& snap = *section.snap;
  const bool one_based = state.display.one_based_heads;
  ImGui::BeginTooltip();
  if (section.title) ImGui::TextUnformatted(section.title);
  ImGui::Text("Layer %d, head %d%s", shown_index(layer, one_based), shown_index(head, one_based),
              snap.ablated(layer, head) ? "  (switched off)" : "");
  if (const HeadRole role = section_role(state, section, layer, head); role != HeadRole::None)
    ImGui::Text("Strongest role: %s (the border's colour)", role_name(role));
  ImGui::Text("Entropy %.2f bits: low = focused on few tokens", thumb.entropy);
  ImGui::Text("Previous-token weight %.2f: high = looks one token back", thumb.previous);
  ImGui::TextDisabled("Click to show this head; right-click to switch it %s.",
                      snap.ablated(layer, head) ? "on again" : "off");
  ImGui::EndTooltip();
}

// Square thumbnails that fill the width, with captions under them when there
// is room for the text.
struct GridGeometry {
  float em = 0, small = 0, side = 0, cell_w = 0, cell_h = 0, caption_h = 0, row_label_w = 0, header_h = 0, title_h = 0;
  bool captions = false;
  ImVec2 origin, grid;  // the section's top-left; its first thumbnail's
  ImVec2 corner(int layer, int head) const { return ImVec2(grid.x + head * cell_w, grid.y + layer * cell_h); }
};

// Thumbnail sizes for `n_rows` rows of heads in `n_titled` titled sections.
GridGeometry layout_grid(const ModelViewState& view, int n_rows, int n_heads, int n_titled, bool exporting) {
  GridGeometry g;
  g.em = ImGui::GetFontSize();
  g.small = g.em * 0.78f;  // caption font size
  g.row_label_w = ImGui::CalcTextSize("L00").x + g.em * 0.5f;
  g.header_h = g.em * 1.4f;
  g.title_h = n_titled > 0 ? ImGui::GetTextLineHeightWithSpacing() + g.em * 0.3f : 0.0f;
  const float gap = g.em * 0.45f, headers_h = (g.header_h + g.title_h) * std::max(n_titled, 1);
  const float legend_h = g.em * view.legend_em[exporting];
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float by_width = (avail.x - g.row_label_w) / n_heads - gap;
  // Captions need a thumbnail about four small characters wide; use them when
  // the grid still fits the height with them, else drop them for bigger pictures.
  g.caption_h = g.small * 2.1f;
  const auto by_height = [&](float extra) { return (avail.y - headers_h - legend_h) / n_rows - gap - extra; };
  float side = std::min(by_width, by_height(g.caption_h));
  g.captions = side >= g.small * 3.6f;
  if (!g.captions) side = std::min(by_width, by_height(0));
  if (side < g.em * 1.5f) side = std::max(by_width, g.em * 1.5f);  // too many layers to fit: scroll instead
  g.side = std::clamp(side, g.em * 1.5f, g.em * 8.0f);
  g.captions = g.captions && g.side >= g.small * 3.6f;
  g.cell_w = g.side + gap;
  g.cell_h = g.side + (g.captions ? g.caption_h : 0.0f) + gap;
  return g;
}

// Puts a section's title and column labels at `top_left`, its first row under them.
void place_section(GridGeometry& g, ImVec2 top_left) {
  g.origin = ImVec2(top_left.x, top_left.y + g.title_h);
  g.grid = ImVec2(g.origin.x + g.row_label_w, g.origin.y + g.header_h);
}

void draw_caption(const AttentionSnapshot& snap, DisplayMode display_mode, bool three_kinds, const ViewDrawOptions& options) {
  const std::string caption = three_kinds ? "Every head of the three kinds of attention"
                                          : std::to_string(snap.n_layers) + " layers x " + std::to_string(snap.n_heads) + " heads";
  figure_text(caption, style_color(ImGuiCol_Text), options);
  if (!options.exporting)
    help_marker("Each square is one head's attention pattern for this sentence.\n"
                "Click a head to show it in the other views. Right-click a head to switch it off (it is "
                "crossed out and the model re-runs without it); right-click again to switch it back on.\n"
                "Translation models: one grid per kind of attention; a click also picks the kind.");
  draw_display_mode_note(snap, display_mode);
}

void draw_column_labels(FigurePen& pen, const GridGeometry& g, int n_heads, const char* group, bool one_based) {
  pen.group(group);
  char buffer[32];
  for (int h = 0; h < n_heads; ++h) {
    std::snprintf(buffer, sizeof buffer, h == 0 && g.side > g.em * 3 ? "head %d" : "%d", shown_index(h, one_based));
    const float w = ImGui::CalcTextSize(buffer).x;
    pen.text(ImVec2(g.corner(0, h).x + (g.side - w) * 0.5f, g.origin.y), style_color(ImGuiCol_TextDisabled), buffer,
             TextAnchor::Middle);
  }
}

// Click shows the head in the other views; right-click switches it off or on.
// Returns whether the thumbnail is hovered.
bool handle_thumbnail_input(AppState& state, const GridSection& section, const HeadThumbnail& thumb,
                            const GridGeometry& g, int l, int h, bool exporting) {
  ImGui::SetCursorScreenPos(g.corner(l, h));
  ImGui::PushID(static_cast<int>(section.kind));
  ImGui::PushID(l * section.snap->n_heads + h);
  ImGui::InvisibleButton("##thumb", ImVec2(g.side, g.side + (g.captions ? g.caption_h : 0.0f)),
                         ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  const bool hovered = !exporting && ImGui::IsItemHovered();
  if (!exporting) {
    if (ImGui::IsItemClicked(ImGuiMouseButton_Left)) {
      state.selection.layer = l;
      state.selection.head = h;
      state.selection.mode = HeadMode::Single;
      if (state.encoder_decoder() && state.attention != section.kind) {
        state.attention = section.kind;
        state.selection.query = -1;  // query indices belong to the old kind's tokens
        refresh_attention_view(state);
      }
    }
    if (ImGui::IsItemClicked(ImGuiMouseButton_Right)) {
      // The switched-off heads of this grid's kind (encoder-decoder models).
      auto& heads = ablated_heads_of(state.interventions, state.encoder_decoder() ? section.kind : AttentionKind::Self);
      if (!heads.erase({l, h})) heads.insert({l, h});
      state.request_run();
    }
    if (hovered && thumb.ready) tooltip(state, section, thumb, l, h);
  }
  ImGui::PopID();
  ImGui::PopID();
  return hovered;
}

// A switched-off head: a cross and "off", readable without colour.
void draw_switched_off(FigurePen& pen, const GridGeometry& g, ImVec2 p0, ImVec2 p1, float line) {
  const ImU32 text = style_color(ImGuiCol_Text);
  pen.line(p0, p1, text, 1.5f * line);
  pen.line(ImVec2(p1.x, p0.y), ImVec2(p0.x, p1.y), text, 1.5f * line);
  ImFont* font = ImGui::GetFont();
  const ImVec2 ts = font->CalcTextSizeA(g.small, FLT_MAX, 0, "off");
  const ImVec2 tp(p0.x + (g.side - ts.x) * 0.5f, p0.y + (g.side - ts.y) * 0.5f);
  pen.fill(ImVec2(tp.x - 3 * line, tp.y), ImVec2(tp.x + ts.x + 3 * line, tp.y + ts.y), style_color(ImGuiCol_WindowBg));
  pen.text(tp, text, "off", TextAnchor::Middle, font, g.small);
}

void draw_thumbnail(FigurePen& pen, const AppState& state, const GridSection& section, const HeadThumbnail& thumb,
                    GlResources& gl, const GridGeometry& g, int l, int h, bool hovered, float line) {
  const ImVec2 p0 = g.corner(l, h), p1(p0.x + g.side, p0.y + g.side);
  const bool ablated = section.snap->ablated(l, h);
  if (thumb.ready) {
    HeatmapStyle style;
    style.dim = ablated ? 0.75f : 0.0f;
    pen.cells(gl.heatmap, thumb.texture, p0, p1, state.display.colormap, style, thumb.values);
  } else {
    pen.fill(p0, p1, style_color(ImGuiCol_FrameBg));
  }
  draw_role_border(pen, section_role(state, section, l, h), p0, p1, line);
  if (ablated) draw_switched_off(pen, g, p0, p1, line);
  const bool kind_shown = !state.encoder_decoder() || state.attention == section.kind;
  const bool selected = kind_shown && state.selection.layer == l &&
                        (state.selection.mode != HeadMode::Single || state.selection.head == h);
  if (selected)
    pen.frame(ImVec2(p0.x - 2 * line, p0.y - 2 * line), ImVec2(p1.x + 2 * line, p1.y + 2 * line), selection_color(),
              2.5f * line);
  else if (hovered)
    pen.frame(ImVec2(p0.x - line, p0.y - line), ImVec2(p1.x + line, p1.y + line), hover_color(), 2 * line);
  if (!g.captions || !thumb.ready) return;
  const ImU32 color = style_color(ablated ? ImGuiCol_TextDisabled : ImGuiCol_Text);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "H %.2f", thumb.entropy);
  pen.text(ImVec2(p0.x, p1.y + g.small * 0.1f), color, buffer, TextAnchor::Start, ImGui::GetFont(), g.small);
  std::snprintf(buffer, sizeof buffer, "p %.2f", thumb.previous);
  pen.text(ImVec2(p0.x, p1.y + g.small * 1.05f), color, buffer, TextAnchor::Start, ImGui::GetFont(), g.small);
}

// The colour bar, and beside it (or below, when narrow) what H and p mean.
void draw_legend(const AppState& state, ModelViewState& view, GlResources& gl, const GridGeometry& g, float grid_bottom,
                 const ViewDrawOptions& options) {
  const float em = g.em, bar_w = em * 12.0f;
  const float avail_w = ImGui::GetContentRegionAvail().x;
  ImGui::SetCursorScreenPos(ImVec2(g.origin.x, grid_bottom + em * 0.3f));
  ImGui::BeginGroup();
  draw_colormap_legend(gl, state.display, bar_w, options);
  ImGui::EndGroup();
  const float text_w = ImGui::CalcTextSize("p: mean weight on the previous token").x;
  if (avail_w >= bar_w + em * 2.5f + text_w) ImGui::SameLine(0, em * 2.0f);
  ImGui::BeginGroup();
  for (const char* note : {"H: mean entropy of a row, in bits", "    low = focused on a few tokens",
                           "p: mean weight on the previous token"})
    figure_text(note, style_color(note[0] == ' ' ? ImGuiCol_TextDisabled : ImGuiCol_Text), options);
  ImGui::EndGroup();
  float bottom = ImGui::GetItemRectMax().y + ImGui::GetStyle().ItemSpacing.y;
  if (state.display.role_borders) {
    draw_role_legend(state, options);
    bottom = ImGui::GetCursorScreenPos().y;
  }
  view.legend_em[options.exporting] = (bottom - grid_bottom) / em;
}

// The grids to draw: the snapshot's own, or for an encoder-decoder model one
// per kind of attention, each cut to the decoding step.
std::vector<GridSection> grid_sections(const AppState& state, ModelViewState& view) {
  if (!state.encoder_decoder() || !state.run || !state.run->decoder)
    return {GridSection{AttentionKind::Self, state.snapshot, &view.grids[0], nullptr, ""}};
  static const char* const kTitles[] = {"Encoder self-attention", "Decoder self-attention",
                                        "Cross-attention (target queries, source keys)"};
  static const char* const kIds[] = {"enc-", "dec-", "cross-"};
  std::vector<GridSection> sections;
  for (AttentionKind kind : {AttentionKind::Self, AttentionKind::DecoderSelf, AttentionKind::Cross}) {
    const auto k = static_cast<size_t>(kind);
    ModelGrid& grid = view.grids[k];
    if (grid.run != state.run || grid.step != state.step) {
      grid.kind_view = attention_view(state.run, kind, state.step);
      grid.run = state.run;
      grid.step = state.step;
    }
    sections.push_back(GridSection{kind, grid.kind_view, &grid, kTitles[k], kIds[k]});
  }
  return sections;
}

void draw_section(FigurePen& pen, AppState& state, const GridSection& section, GlResources& gl, const GridGeometry& g,
                  const ViewDrawOptions& options) {
  const AttentionSnapshot& snap = *section.snap;
  const float line = std::max(1.0f, options.scale);
  char id[48];
  if (section.title) {
    std::snprintf(id, sizeof id, "%stitle", section.id);
    pen.group(id);
    char title[96];
    std::snprintf(title, sizeof title, "%s: %d layers x %d heads", section.title, snap.n_layers, snap.n_heads);
    pen.text(ImVec2(g.origin.x, g.origin.y - g.title_h), style_color(ImGuiCol_Text), title);
  }
  std::snprintf(id, sizeof id, "%scolumn-labels", section.id);
  draw_column_labels(pen, g, snap.n_heads, id, state.display.one_based_heads);
  for (int l = 0; l < snap.n_layers; ++l) {
    std::snprintf(id, sizeof id, "%sL%d", section.id, l);
    pen.group(id);  // the row label, then a group per head: "L0H3" ("cross-L0H3")
    pen.text(ImVec2(g.origin.x, g.corner(l, 0).y + (g.side - g.em) * 0.5f), style_color(ImGuiCol_TextDisabled),
             layer_label(l, state.display.one_based_heads));
    for (int h = 0; h < snap.n_heads; ++h) {
      std::snprintf(id, sizeof id, "%sL%dH%d", section.id, l, h);
      pen.group(id);
      const HeadThumbnail& thumb = section.grid->thumbnails[static_cast<size_t>(l * snap.n_heads + h)];
      const bool hovered = handle_thumbnail_input(state, section, thumb, g, l, h, options.exporting);
      draw_thumbnail(pen, state, section, thumb, gl, g, l, h, hovered, line);
    }
  }
}

}  // namespace

void draw_model_view(AppState& state, ModelViewState& view, GlResources& gl, const ViewDrawOptions& options) {
  if (!options.exporting) view.drawn_frame = ImGui::GetFrameCount();
  if (draw_view_placeholder(state)) return;
  // Held here: a click on another kind's thumbnail replaces state.snapshot mid-draw.
  const std::shared_ptr<const AttentionSnapshot> shown = state.snapshot;
  if (shown->n_layers <= 0 || shown->n_heads <= 0) return;
  const std::vector<GridSection> sections = grid_sections(state, view);
  int rows = 0;
  for (const GridSection& section : sections) {
    update_thumbnails(state, section.snap, *section.grid, options.exporting ? -1.0 : 8.0 / sections.size());
    rows += section.snap->n_layers;
  }
  FigurePen pen(ImGui::GetWindowDrawList(), options.record);
  pen.group("caption");
  draw_caption(*shown, state.display.mode, sections.size() > 1, options);
  const int titled = sections.size() > 1 ? static_cast<int>(sections.size()) : 0;
  GridGeometry g = layout_grid(view, rows, shown->n_heads, titled, options.exporting);
  ImVec2 at = ImGui::GetCursorScreenPos();
  for (const GridSection& section : sections) {
    place_section(g, at);
    draw_section(pen, state, section, gl, g, options);
    at.y = g.grid.y + section.snap->n_layers * g.cell_h;
  }
  pen.group("legend");
  draw_legend(state, view, gl, g, at.y, options);
}

bool model_view_settled(const ModelViewState& view) {
  if (view.drawn_frame < ImGui::GetFrameCount() - 1) return true;
  for (const ModelGrid& grid : view.grids)
    if (grid.requested && grid.shown != grid.requested) return false;
  return true;
}

}  // namespace attnscope
