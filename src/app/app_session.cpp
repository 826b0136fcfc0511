// The app's side of sessions and data exports: turning files into state and
// state into files, with problems shown in the error modal and successes in
// the status bar.
#include <system_error>

#include "app/app.h"
#include "app/image_file.h"
#include "core/error.h"

namespace attnscope::app {

namespace fs = std::filesystem;

namespace {

fs::path output_folder(const App& app) {
  return app.settings.export_dir.empty() ? fs::path(".") : fs::path(app.settings.export_dir);
}

std::string shown_path(const fs::path& path) { return fs::absolute(path).lexically_normal().string(); }

// "" when every layer, head and ablation of the session exists in the model.
std::string selection_problem(const Session& session, const Model& model) {
  const int n_layers = model.config.n_layers, n_heads = model.config.n_heads;
  const std::string shape = " (the model has " + std::to_string(n_layers) + " layers x " + std::to_string(n_heads) + " heads)";
  if (session.selection.layer >= n_layers || session.selection.head >= n_heads)
    return "the session's layer " + std::to_string(session.selection.layer) + ", head " +
           std::to_string(session.selection.head) + " is not in this model" + shape;
  for (const auto& [l, h] : session.interventions.ablated_heads)
    if (l >= n_layers || h >= n_heads)
      return "the session's ablated head " + std::to_string(l) + ":" + std::to_string(h) + " is not in this model" + shape;
  return {};
}

void apply_selection_checked(App& app, const Session& session) {
  const std::string problem = selection_problem(session, *app.state.model);
  if (!problem.empty()) {
    app.state.error_popup = "The session was opened without its head selection: " + problem;
    return;
  }
  apply_session_selection(session, app.state);
}

bool same_model_path(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::equivalent(a, b, ec) && !ec;
}

}  // namespace

bool open_session(App& app, const fs::path& path) {
  Session session;
  try {
    session = read_session_file(path);
  } catch (const std::exception& e) {
    app.state.error_popup = std::string("Could not open the session.\n\n") + e.what();
    app.state.status = std::string("Session not opened: ") + e.what();
    return false;
  }
  app.pending_session.reset();
  apply_session_inputs(session, app.state);
  app.state.status = "Session opened from " + shown_path(path);
  std::error_code ec;
  if (session.model.empty()) {
    if (app.state.model) apply_selection_checked(app, session);
    return true;
  }
  if (!fs::exists(session.model, ec)) {
    // Text and settings are still worth having: the user can open the model
    // from where it lives now and the picture comes back.
    apply_session_selection(session, app.state);
    app.state.error_popup = "The session's model is missing:\n" + session.model +
                            "\n\nThe text and settings were restored. Open the model with File > Open model folder.";
    app.state.status = "Session opened; its model is missing: " + session.model;
    return true;
  }
  if (app.state.model && same_model_path(app.state.model->source, session.model)) {
    apply_selection_checked(app, session);
    return true;
  }
  // Loading a model resets the selection, so it is applied once the load lands.
  app.pending_session = session;
  request_model(app, session.model);
  return true;
}

void finish_session_load(App& app, const fs::path& loaded_path, bool loaded_ok) {
  if (!app.pending_session) return;
  if (!same_model_path(loaded_path, app.pending_session->model)) return;
  const Session session = std::move(*app.pending_session);
  app.pending_session.reset();
  if (loaded_ok) apply_selection_checked(app, session);
}

bool save_session(App& app, const fs::path& out, fs::path* written) {
  const fs::path path = out.empty() ? unique_path(output_folder(app) / "attnscope-session.json") : out;
  try {
    write_session_file(path, capture_session(app.state));
  } catch (const std::exception& e) {
    app.state.error_popup = std::string("Session not saved: ") + e.what();
    app.state.status = app.state.error_popup;
    return false;
  }
  app.state.status = "Session saved to " + shown_path(path);
  if (written) *written = path;
  return true;
}

bool export_data(App& app, DataExport kind) {
  if (!app.state.snapshot) {
    app.state.error_popup = "Data not exported: nothing to export yet (no model run)";
    return false;
  }
  try {
    const fs::path path = write_data_export(*app.state.snapshot, app.state.selection, kind, output_folder(app));
    app.state.status = "Data saved to " + shown_path(path);
    return true;
  } catch (const std::exception& e) {
    app.state.error_popup = std::string("Data not exported: ") + e.what();
    app.state.status = app.state.error_popup;
    return false;
  }
}

}  // namespace attnscope::app
