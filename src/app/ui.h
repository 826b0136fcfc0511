// The shell's drawing functions, one file each: menus, the input panel, the
// head controls, the status bar and the empty state. draw_app() calls them in
// order every frame between ImGui::NewFrame() and ImGui::Render().
#pragma once
#include <string>
#include <vector>

#include <imgui.h>

#include "app/app.h"

namespace attnscope::app {

// ui_frame.cpp: everything of one frame, plus keyboard shortcuts and layout.
void draw_app(App& app);
// The default place of each window, from the display size.
struct WindowRect {
  ImVec2 pos, size;
};
WindowRect default_window_rect(const char* window, ImVec2 display);

// ui_menu.cpp: File, View, Sentences, Heads.
void draw_main_menu(App& app);
const std::vector<std::string>& sentence_presets();
// ui_heads_menu.cpp: the model's presets, published heads of a known
// checkpoint, the head roles window and how heads are numbered.
void draw_heads_menu(App& app);
// File -> Open session: a modal with a typed path.
void draw_open_session_dialog(App& app);
// File -> Save session as: a modal with a typed path.
void draw_save_session_as_dialog(App& app);

// ui_compare.cpp: the Compare menu, which loads a minimal pair into the minimal-pair view.
void draw_compare_menu(App& app);

// ui_input.cpp: the text box and the token strip.
void draw_text_input(App& app);
void draw_token_strip(App& app);
// How a token reads in a chip: spaces as a middle dot, newlines as an arrow.
std::string chip_text(const std::string& display, bool have_symbols);

// ui_seq2seq.cpp: encoder-decoder models only. The target (greedy or forced)
// with its tokens, then the attention kind and the decoding step.
void draw_target_input(App& app);
void draw_decoder_controls(App& app);

// ui_controls.cpp: layer / head / mode, causal mask, ablation grid, reset.
void draw_head_controls(App& app);

// ui_status.cpp
void draw_status_bar(App& app);
void draw_empty_state(App& app);
void draw_error_popup(App& app);
// Warnings that must not scroll away (a settings file set aside, NaN weights), one at a time.
void draw_notice_popup(App& app);
float status_bar_height();

}  // namespace attnscope::app
