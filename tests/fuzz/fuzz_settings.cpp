// Fuzzes settings.json reading: any bytes on disk must give usable settings
// (never an exception), and what was read must survive a save and a reload.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>

#include "scene/settings.h"

namespace {

std::filesystem::path scratch(const char* name) {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("attnscope-fuzz-settings-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir / name;
}

void require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = scratch("settings.json");
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  std::string notice;
  const attnscope::Settings read = attnscope::load_settings(path, &notice);
  require(read.font_scale >= attnscope::kMinFontScale && read.font_scale <= attnscope::kMaxFontScale);
  require(static_cast<int>(read.recent_models.size()) <= attnscope::kMaxRecentModels);

  const auto again = scratch("again.json");
  std::string error;
  require(attnscope::save_settings(again, read, &error));
  const attnscope::Settings back = attnscope::load_settings(again, &notice);
  require(notice.empty());
  require(back.colormap == read.colormap && back.font_scale == read.font_scale && back.presenter == read.presenter);
  require(back.last_model == read.last_model && back.recent_models == read.recent_models);
  return 0;
}
