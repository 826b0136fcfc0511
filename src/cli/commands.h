// The CLI's subcommands and what they share.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"

namespace attnscope::cli {

int run_command(const std::vector<std::string>& argv);
int generate_command(const std::vector<std::string>& argv);
int translate_command(const std::vector<std::string>& argv);
int export_command(const std::vector<std::string>& argv);
#ifdef ATTNSCOPE_WITH_RENDER
int render_command(const std::vector<std::string>& argv);  // needs the app's views: built with ATTNSCOPE_BUILD_APP
#endif

// --model, or the embedded default model when none is given.
std::shared_ptr<const Model> open_model(const std::optional<std::string>& path);
std::string default_text();

}  // namespace attnscope::cli
