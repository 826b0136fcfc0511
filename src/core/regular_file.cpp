#include "regular_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "error.h"

namespace attnscope {
namespace {

const char* file_type_name(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  return "not a regular file";
}

[[noreturn]] void throw_open_error(const std::filesystem::path& path, int err) {
  if (err == ENOENT) throw Error(ErrorKind::NotFound, path.string() + ": no such file");
  if (err == ELOOP) throw Error(ErrorKind::Io, path.string() + ": symlink loop (too many levels of symbolic links)");
  throw Error(ErrorKind::Io, path.string() + ": cannot open: " + std::strerror(err));
}

void require_regular(const std::filesystem::path& path, mode_t mode) {
  if (!S_ISREG(mode))
    throw Error(path.string() + ": is " + file_type_name(mode) + ", expected a regular file");
}

}  // namespace

int open_regular_file(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw_open_error(path, errno);
  require_regular(path, st.st_mode);
  // O_NONBLOCK: should the path be swapped for a FIFO after the stat, open()
  // still returns at once and the fstat below refuses it.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) throw_open_error(path, errno);
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    require_regular(path, st.st_mode);
    throw Error(ErrorKind::Io, path.string() + ": cannot stat the opened file");
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

std::string read_regular_file(const std::filesystem::path& path) {
  const int fd = open_regular_file(path);
  std::string contents;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      throw Error(ErrorKind::Io, path.string() + ": cannot read: " + std::strerror(err));
    }
    contents.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return contents;
}

bool entry_exists(const std::filesystem::path& path) {
  std::error_code ec;
  return std::filesystem::exists(std::filesystem::symlink_status(path, ec));
}

}  // namespace attnscope
