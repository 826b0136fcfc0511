#include "app/soak_actions.h"

#include <array>

#include "app/ui.h"
#include "render/svg_figure.h"
#include "scene/output_path.h"

namespace attnscope::app {

namespace {

// Weights in SoakAction order.
constexpr std::array<int, kSoakActionCount> kWeights = {20, 2, 8, 8, 10, 10, 3, 4, 4, 20, 3, 2, 2};

const std::array<std::string, 8> kWords = {"the", "cat", "it", "animal", "street", "[MASK]", "tired", "\xC3\xA9t\xC3\xA9"};

int uniform(std::mt19937& random, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random); }

// Typing, deleting, pasting a preset, clearing, or a stray invalid UTF-8 byte.
void edit_text(AppState& s, std::mt19937& random) {
  switch (uniform(random, 0, 5)) {
    case 0: s.text = sentence_presets()[static_cast<size_t>(uniform(random, 0, 9))]; break;
    case 1: s.text.clear(); break;
    case 2: s.text += "\xFF"; break;
    case 3: {
      const size_t space = s.text.rfind(' ');
      s.text.erase(space == std::string::npos ? 0 : space);
      break;
    }
    default: s.text += " " + kWords[static_cast<size_t>(uniform(random, 0, static_cast<int>(kWords.size()) - 1))];
  }
  s.request_run();
}

// Far past any context: the run cuts it and says so.
void long_text(AppState& s, std::mt19937& random) {
  s.text.clear();
  const int words = uniform(random, 500, 3000);
  for (int i = 0; i < words; ++i) s.text += kWords[static_cast<size_t>(i % kWords.size())] + " ";
  s.request_run();
}

template <typename T>
void toggle(std::set<T>& set, const T& item) {
  if (!set.erase(item)) set.insert(item);
}

void save_something(App& app, std::mt19937& random) {
  switch (uniform(random, 0, 3)) {
    case 0: {
      ScreenshotRequest shot;
      shot.out = unique_path("soak-screenshot.png");
      shot.sidecar = true;
      app.requests.screenshot = shot;
      break;
    }
    case 1: {
      ExportRequest request;
      request.view = kAllViews[uniform(random, 0, kViewCount - 1)];
      request.svg = uniform(random, 0, 1) == 1;
      request.scale = static_cast<float>(1 << uniform(random, 0, 1));
      app.requests.export_request = request;
      break;
    }
    case 2: save_session(app, {}); break;
    default: {
      const DataExport kind = kAllDataExports[uniform(random, 0, 5)];
      if (data_export_available(app.state.selection, kind)) export_data(app, kind);
    }
  }
}

std::filesystem::path other_default_model(const App& app) {
  const std::filesystem::path bert = *default_model_path();
  const std::filesystem::path gpt = bert.parent_path() / "attnscope-tiny-gpt";
  return app.state.model && app.state.model->source == bert ? gpt : bert;
}

}  // namespace

const char* soak_action_name(SoakAction action) {
  static const char* names[kSoakActionCount] = {"edit_text", "long_text", "select_query", "select_head", "toggle_head",
                                                "toggle_mask", "toggle_causal", "toggle_view", "change_colors",
                                                "click", "save", "reload_model", "reset_all"};
  return names[static_cast<int>(action)];
}

SoakAction pick_soak_action(std::mt19937& random) {
  std::discrete_distribution<int> pick(kWeights.begin(), kWeights.end());
  return static_cast<SoakAction>(pick(random));
}

std::optional<SoakClick> apply_soak_action(App& app, SoakAction action, std::mt19937& random) {
  AppState& s = app.state;
  const int layers = s.model ? s.model->config.n_layers : 1, heads = s.model ? s.model->config.n_heads : 1;
  // One past the tokens on screen: a stale position is a case the app must survive too.
  const int tokens = s.n_tokens() + 1;
  switch (action) {
    case SoakAction::EditText: edit_text(s, random); break;
    case SoakAction::LongText: long_text(s, random); break;
    case SoakAction::SelectQuery: s.selection.query = uniform(random, -1, tokens - 1); break;
    case SoakAction::SelectHead:
      s.selection.layer = uniform(random, 0, layers - 1);
      s.selection.head = uniform(random, 0, heads - 1);
      s.selection.mode = static_cast<HeadMode>(uniform(random, 0, 2));
      break;
    case SoakAction::ToggleHead:
      toggle(s.interventions.ablated_heads, {uniform(random, 0, layers - 1), uniform(random, 0, heads - 1)});
      s.request_run();
      break;
    case SoakAction::ToggleMask:
      toggle(s.interventions.masked_keys, uniform(random, 0, tokens - 1));
      s.request_run();
      break;
    case SoakAction::ToggleCausal:
      s.interventions.causal = s.interventions.causal ? std::nullopt : std::optional<bool>(uniform(random, 0, 1) == 1);
      s.request_run();
      break;
    case SoakAction::ToggleView: {
      bool& shown = view_visible(s.show, kAllViews[uniform(random, 0, kViewCount - 1)]);
      shown = !shown;
      break;
    }
    case SoakAction::ChangeColors:
      s.display.colormap = static_cast<Colormap>(uniform(random, 0, kColormapCount - 1));
      s.display.scale = static_cast<ColorScale>(uniform(random, 0, 2));
      s.display.hide_special = uniform(random, 0, 1) == 1;
      break;
    case SoakAction::Click: {
      // Below the menu bar: a random walk through the menus would sooner or later choose Quit.
      const float y = std::uniform_real_distribution<float>(0.05f, 1.0f)(random);
      return SoakClick{std::uniform_real_distribution<float>(0.0f, 1.0f)(random), y, uniform(random, 0, 3) == 0};
    }
    case SoakAction::Save: save_something(app, random); break;
    case SoakAction::ReloadModel: request_model(app, other_default_model(app)); break;
    case SoakAction::ResetAll: reset_all(s); break;
  }
  return std::nullopt;
}

}  // namespace attnscope::app
