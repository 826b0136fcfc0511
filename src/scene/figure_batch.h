// Figure jobs for attnscope-cli render: one from the command line's options,
// or many from a batch file, one JSON object per line with the options' names
// as keys. Parsing only, no GL, so that a fuzzer can reach it.
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "scene/view_state.h"

namespace attnscope {

// One figure: the scene (its figure options say which view, how large) and where it goes.
struct FigureJob {
  Scene scene;
  bool preset_head = false;  // show the model's first named head (attnscope.json) instead of the selection's
  bool preset_alignment = false;  // no --align and no head given: the alignment view shows the named cross-attention head
  std::filesystem::path out;
  bool overwrite = false;
};

// Option name without "--" -> value ("" for a switch).
using FigureFields = std::map<std::string, std::string>;

// The render command's options: the scene's, plus --out, --force and --sidecar.
bool is_figure_switch(const std::string& name);
bool is_figure_valued(const std::string& name);

// Throws Error (Usage) for a missing --out or a malformed option.
FigureJob figure_job_from_fields(const FigureFields& fields);

// One batch line on top of `defaults`: strings and integers are values, true
// turns a switch on, false turns it off. Throws Error naming the field.
FigureFields figure_fields_from_json(std::string_view line, FigureFields defaults);

// Every non-blank line of a batch file's `text` as a job. Throws Error naming
// `source` and the line; a batch without any figure is an error too.
std::vector<FigureJob> parse_figure_batch(std::string_view text, const std::string& source, const FigureFields& defaults);

}  // namespace attnscope
