// The app's side of sessions and data exports: turning files into state and
// state into files, with problems shown in the error modal and successes in
// the status bar.
#include <limits>
#include <system_error>

#include "app/app.h"
#include "core/error.h"
#include "scene/output_path.h"

namespace attnscope::app {

namespace fs = std::filesystem;

namespace {

fs::path output_folder(const App& app) {
  return app.settings.export_dir.empty() ? fs::path(".") : fs::path(app.settings.export_dir);
}

std::string shown_path(const fs::path& path) { return fs::absolute(path).lexically_normal().string(); }

// "" when every layer, head and switched-off head of the session exists in the model.
std::string selection_problem(const Scene& session, const Model& model) {
  try {
    validate_scene(session, model, std::numeric_limits<int>::max());  // tokens are checked by the run
  } catch (const Error& e) {
    return e.what();
  }
  return {};
}

void apply_selection_checked(App& app, const Scene& session) {
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
  Scene session;
  try {
    session = read_session_file(path);
  } catch (const std::exception& e) {
    app.state.error_popup = std::string("Could not open the session.\n\n") + e.what();
    app.state.status = std::string("Session not opened: ") + e.what();
    return false;
  }
  app.requests.pending_session.reset();
  apply_session_inputs(session, app.state);
  app.state.status = "Session opened from " + shown_path(path);
  std::error_code ec;
  if (session.model_path.empty()) {
    if (app.state.model) apply_selection_checked(app, session);
    return true;
  }
  if (!fs::exists(session.model_path, ec)) {
    // Text and settings are still worth having: the user can open the model
    // from where it lives now and the picture comes back.
    apply_session_selection(session, app.state);
    app.state.error_popup = "The session's model is missing:\n" + session.model_path +
                            "\n\nThe text and settings were restored. Open the model with File > Open model folder.";
    app.state.status = "Session opened; its model is missing: " + session.model_path;
    return true;
  }
  if (app.state.model && same_model_path(app.state.model->source, session.model_path)) {
    apply_selection_checked(app, session);
    return true;
  }
  // Loading a model resets the selection, so it is applied once the load lands.
  app.requests.pending_session = session;
  request_model(app, session.model_path);
  return true;
}

void finish_session_load(App& app, const fs::path& loaded_path, bool loaded_ok) {
  if (!app.requests.pending_session) return;
  if (!same_model_path(loaded_path, app.requests.pending_session->model_path)) return;
  const Scene session = std::move(*app.requests.pending_session);
  app.requests.pending_session.reset();
  if (loaded_ok) apply_selection_checked(app, session);
}

bool save_session(App& app, const fs::path& out, fs::path* written, Overwrite overwrite) {
  const fs::path path = out.empty() ? unique_path(output_folder(app) / "attnscope-session.json") : out;
  try {
    write_session_file(path, capture_session(app.state), overwrite);
  } catch (const std::exception& e) {
    const auto replace = [path](App& again) { save_session(again, path, nullptr, Overwrite::Allow); };
    if (overwrite == Overwrite::Refuse && ask_to_replace(app, path, "Session", replace)) return false;
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
    // A translation's whole run: BertViz JSON then holds encoder, decoder and
    // cross-attention; the other formats hold the encoder's, as the CLI's do.
    const AttentionSnapshot& snapshot = app.state.run ? *app.state.run : *app.state.snapshot;
    const fs::path path = write_data_export(snapshot, app.state.selection, kind, output_folder(app));
    app.state.status = "Data saved to " + shown_path(path);
    return true;
  } catch (const std::exception& e) {
    app.state.error_popup = std::string("Data not exported: ") + e.what();
    app.state.status = app.state.error_popup;
    return false;
  }
}

}  // namespace attnscope::app
