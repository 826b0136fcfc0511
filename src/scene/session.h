// A session: what the user was looking at, as a small JSON file they can save
// and reopen (File -> Save session / Open session, attnscope --session FILE).
// It holds inputs and choices only, never weights or results: opening it
// reruns the model and reproduces the same picture. No GL here.
#pragma once
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "scene/view_state.h"

namespace attnscope {

constexpr int kSessionVersion = 1;

// A session file holds a Scene: model path, text, selection (hover is not
// kept), interventions, visible views and display settings (font size is the
// user's, not kept; figure options are not kept).

// The session of what `state` shows now.
Scene capture_session(const AppState& state);

nlohmann::json session_to_json(const Scene& session);
// Throws Error naming `source` and the field when a field is missing, of the
// wrong type or out of range: a half-read session is never applied.
Scene session_from_json(const nlohmann::json& data, const std::string& source);

// Writes atomically (write_file_atomically); throws Error naming the path,
// also when the file exists and `overwrite` refuses it.
void write_session_file(const std::filesystem::path& path, const Scene& session, Overwrite overwrite = Overwrite::Refuse);
// Throws Error naming the path when it cannot be read, is not JSON or not a session.
Scene read_session_file(const std::filesystem::path& path);

// Puts the text, view visibility and display settings of `session` into
// `state` and asks for a run. Selection and interventions (and a translation
// model's target, attention kind and step) are separate because they only
// mean something once the session's model is loaded. Sessions written before
// the encoder-decoder fields existed open with their defaults.
void apply_session_inputs(const Scene& session, AppState& state);
void apply_session_selection(const Scene& session, AppState& state);

}  // namespace attnscope
