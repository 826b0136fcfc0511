// The one file-naming rule of every export: never replace an existing file.
#pragma once
#include <filesystem>
#include <string>

#include "scene/view_state.h"

namespace attnscope {

// `wanted` if no file has that name, else "stem-1.ext", "stem-2.ext", ...
std::filesystem::path unique_path(const std::filesystem::path& wanted);

// "attnscope-heatmap-L2H3.png", "attnscope-model-L0mean.png" ...
std::string default_export_name(const Selection& selection, ViewId view);

}  // namespace attnscope
