// The files of shaders/, compiled into the binary at build time.
#pragma once
#include <string_view>

namespace attnscope {

// The text of shaders/<name> ("heatmap.frag"), or an empty view if there is no such file.
std::string_view shader_source(std::string_view name);

}  // namespace attnscope
