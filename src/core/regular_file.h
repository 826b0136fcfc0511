// Opening files for reading without surprises: only regular files are opened,
// so a FIFO or device named like a model file fails at once instead of
// blocking, and a symlink loop is reported as a loop, not as a missing file.
#pragma once
#include <filesystem>
#include <string>

namespace attnscope {

// A read-only descriptor of a regular file (the caller closes it). Throws
// Error naming the path: NotFound when it does not exist, Io for a symlink
// loop or a refused open, BadFormat for anything that is not a regular file.
int open_regular_file(const std::filesystem::path& path);

// The whole contents of a regular file, checked as open_regular_file does.
std::string read_regular_file(const std::filesystem::path& path);

// True when a directory entry exists at `path`, even a dangling or looping
// symlink (which std::filesystem::exists reports as absent), so that opening
// it gives the real reason.
bool entry_exists(const std::filesystem::path& path);

}  // namespace attnscope
