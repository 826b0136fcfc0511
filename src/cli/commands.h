// The CLI's subcommands and what they share.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/snapshot.h"

namespace attnscope::cli {

int run_command(const std::vector<std::string>& argv);
int generate_command(const std::vector<std::string>& argv);
int translate_command(const std::vector<std::string>& argv);
int export_command(const std::vector<std::string>& argv);
int heads_command(const std::vector<std::string>& argv);
int render_command(const std::vector<std::string>& argv);  // render_unavailable.cpp without the render library

// --model, or the embedded default model when none is given.
std::shared_ptr<const Model> open_model(const std::optional<std::string>& path);
std::string default_text();
// The run's warnings (non-finite values, with layer and position) on stderr.
void print_warnings(const AttentionSnapshot& snapshot);

}  // namespace attnscope::cli
