#include "atomic_file.h"

#include <fcntl.h>
#include <stdio.h>  // renameat2
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <random>
#include <set>

#include "error.h"

namespace attnscope {

namespace fs = std::filesystem;

namespace {

std::string errno_text(int err) { return std::strerror(err); }

fs::path folder_of(const fs::path& path) { return path.parent_path().empty() ? fs::path(".") : path.parent_path(); }

// ".name.tmp-<pid>-<n>-<random>" beside the destination: the same file system,
// so the final rename is atomic, and hidden from a casual listing.
fs::path temp_name_for(const fs::path& path) {
  static std::atomic<unsigned> counter{0};
  static thread_local std::mt19937 random{std::random_device{}()};
  std::string name = ".";  // appended piece by piece: GCC 12 misreads "." + string as an overlapping copy
  name += path.filename().string();
  name += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + std::to_string(random() % 1000000);
  return folder_of(path) / name;
}

int create_temp_file(const fs::path& path, fs::path& temp_path) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    temp_path = temp_name_for(path);
    // 0666 and the user's umask, as any newly created file would get.
    const int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) return fd;
    if (errno != EEXIST)
      throw Error(ErrorKind::Io, path.string() + ": cannot create a file in " + folder_of(path).string() + ": " +
                                     errno_text(errno));
  }
  throw Error(ErrorKind::Io, path.string() + ": cannot find a free temporary name");
}

[[noreturn]] void throw_exists(const fs::path& path) {
  throw Error(ErrorKind::Io, path.string() + ": already exists (not overwritten; --force replaces it)");
}

// Gives the temporary file its final name without ever replacing a file that
// exists: renameat2(RENAME_NOREPLACE), or link + unlink where the file system
// lacks it. Both fail with EEXIST atomically.
void move_into_place_without_replacing(const fs::path& temp, const fs::path& path) {
  if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) == 0) return;
  if (errno == EEXIST) throw_exists(path);
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
    throw Error(ErrorKind::Io, path.string() + ": cannot rename into place: " + errno_text(errno));
  if (::link(temp.c_str(), path.c_str()) != 0) {
    if (errno == EEXIST) throw_exists(path);
    throw Error(ErrorKind::Io, path.string() + ": cannot link into place: " + errno_text(errno));
  }
  ::unlink(temp.c_str());
}

// The rename itself is only durable once the folder is flushed too.
void sync_folder(const fs::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

AtomicFileWriter::AtomicFileWriter(const fs::path& path, Overwrite overwrite) : path_(path), overwrite_(overwrite) {
  check_output_path(path, overwrite);
  fd_ = create_temp_file(path, temp_path_);
}

AtomicFileWriter::~AtomicFileWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!temp_path_.empty()) ::unlink(temp_path_.c_str());
}

void AtomicFileWriter::write(std::span<const std::byte> bytes) {
  if (fd_ < 0) throw Error(ErrorKind::Io, path_.string() + ": write after commit");
  const char* data = reinterpret_cast<const char*>(bytes.data());
  std::size_t left = bytes.size();
  while (left > 0) {
    const ssize_t n = ::write(fd_, data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw Error(ErrorKind::Io, path_.string() + ": cannot write: " + errno_text(n < 0 ? errno : ENOSPC));
    data += n;
    left -= static_cast<std::size_t>(n);
  }
}

void AtomicFileWriter::commit() {
  if (fd_ < 0) throw Error(ErrorKind::Io, path_.string() + ": committed twice");
  if (::fsync(fd_) != 0) throw Error(ErrorKind::Io, path_.string() + ": cannot flush to disk: " + errno_text(errno));
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) throw Error(ErrorKind::Io, path_.string() + ": cannot write: " + errno_text(errno));
  if (overwrite_ == Overwrite::Allow) {
    if (::rename(temp_path_.c_str(), path_.c_str()) != 0)
      throw Error(ErrorKind::Io, path_.string() + ": cannot rename into place: " + errno_text(errno));
  } else {
    move_into_place_without_replacing(temp_path_, path_);
  }
  temp_path_.clear();
  sync_folder(folder_of(path_));
}

void write_file_atomically(const fs::path& path, std::string_view bytes, Overwrite overwrite) {
  AtomicFileWriter writer(path, overwrite);
  writer.write(bytes);
  writer.commit();
}

void check_output_path(const fs::path& path, Overwrite overwrite) {
  if (path.empty() || path.filename().empty()) throw Error(ErrorKind::Usage, "'" + path.string() + "': not a file name");
  const fs::path folder = folder_of(path);
  struct stat st {};
  if (::stat(folder.c_str(), &st) != 0) {
    if (errno == ENOENT) throw Error(ErrorKind::NotFound, path.string() + ": cannot write: folder " + folder.string() + " does not exist");
    throw Error(ErrorKind::Io, path.string() + ": folder " + folder.string() + ": " + errno_text(errno));
  }
  if (!S_ISDIR(st.st_mode)) throw Error(ErrorKind::Io, path.string() + ": " + folder.string() + " is not a folder");
  if (::lstat(path.c_str(), &st) != 0) return;  // free: the common case
  if (S_ISDIR(st.st_mode)) throw Error(ErrorKind::Io, path.string() + ": is a folder");
  if (overwrite == Overwrite::Refuse) throw_exists(path);
}

void check_output_paths(const std::vector<fs::path>& paths, Overwrite overwrite) {
  std::set<fs::path> seen;
  for (const fs::path& path : paths) {
    check_output_path(path, overwrite);
    // Same folder spelled two ways ("a/../x.png" and "x.png") is still one file.
    std::error_code ec;
    fs::path key = fs::weakly_canonical(fs::absolute(path, ec), ec);
    if (ec) key = path.lexically_normal();
    if (!seen.insert(key).second) throw Error(ErrorKind::Usage, path.string() + ": named as the output of two jobs");
  }
}

void check_output_extension(const fs::path& path, std::initializer_list<std::string_view> extensions) {
  const std::string extension = path.extension().string();
  std::string expected;
  for (std::string_view e : extensions) {
    if (extension == e) return;
    expected += (expected.empty() ? "" : " or ") + std::string(e);
  }
  throw Error(ErrorKind::Usage, path.string() + ": the file name must end in " + expected);
}

}  // namespace attnscope
