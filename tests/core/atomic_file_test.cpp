// The atomic writer: never replaces a file unless asked, leaves no temporary
// file behind on success or failure, and checks a batch's outputs up front.
#include <gtest/gtest.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "test_support.h"

namespace attnscope {
namespace {

namespace fs = std::filesystem;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(AtomicFile, WritesOnceAndRefusesToReplace) {
  testing::ScopedTempDir dir("atomic-refuse");
  const fs::path path = dir / "out.json";
  write_file_atomically(path, "first", Overwrite::Refuse);
  EXPECT_EQ(testing::read_file(path), "first");
  EXPECT_NE(error_of([&] { write_file_atomically(path, "second", Overwrite::Refuse); }).find("already exists"), std::string::npos);
  EXPECT_EQ(testing::read_file(path), "first");
  write_file_atomically(path, "third", Overwrite::Allow);
  EXPECT_EQ(testing::read_file(path), "third");
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"out.json"});
}

TEST(AtomicFile, AFileThatAppearsDuringTheWriteIsKept) {
  testing::ScopedTempDir dir("atomic-race");
  const fs::path path = dir / "out.csv";
  AtomicFileWriter writer(path, Overwrite::Refuse);
  writer.write(std::string_view("late"));
  testing::write_file(path, "someone else's");  // created after the up-front check
  EXPECT_NE(error_of([&] { writer.commit(); }).find("already exists"), std::string::npos);
  EXPECT_EQ(testing::read_file(path), "someone else's");
}

TEST(AtomicFile, AnAbandonedWriteLeavesNothing) {
  testing::ScopedTempDir dir("atomic-abandon");
  {
    AtomicFileWriter writer(dir / "out.npy", Overwrite::Refuse);
    writer.write(std::string_view("partial"));
  }
  EXPECT_TRUE(names_in(dir.path()).empty());
}

TEST(AtomicFile, MissingFolderAndFolderTargetsAreNamed) {
  testing::ScopedTempDir dir("atomic-folder");
  const fs::path missing = dir / "nope" / "out.json";
  try {
    write_file_atomically(missing, "x", Overwrite::Allow);
    ADD_FAILURE() << "wrote into a missing folder";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::NotFound);
    EXPECT_NE(std::string(e.what()).find("nope"), std::string::npos) << e.what();
  }
  fs::create_directory(dir / "sub");
  EXPECT_NE(error_of([&] { write_file_atomically(dir / "sub", "x", Overwrite::Allow); }).find("is a folder"), std::string::npos);
}

TEST(AtomicFile, BatchCheckFindsCollisionsBeforeAnyWrite) {
  testing::ScopedTempDir dir("atomic-batch");
  const std::vector<fs::path> clash = {dir / "a.png", dir / "b.png", dir / "x" / ".." / "a.png"};
  fs::create_directory(dir / "x");
  EXPECT_NE(error_of([&] { check_output_paths(clash, Overwrite::Refuse); }).find("output of two jobs"), std::string::npos);
  testing::write_file(dir / "b.png", "old");
  EXPECT_NE(error_of([&] { check_output_paths({dir / "a.png", dir / "b.png"}, Overwrite::Refuse); }).find("b.png: already exists"),
            std::string::npos);
  EXPECT_EQ(error_of([&] { check_output_paths({dir / "a.png", dir / "b.png"}, Overwrite::Allow); }), "");
}

TEST(AtomicFile, ExtensionMustMatch) {
  EXPECT_EQ(error_of([] { check_output_extension("run.json", {".json"}); }), "");
  EXPECT_NE(error_of([] { check_output_extension("x.jpg", {".png", ".svg"}); }).find("must end in .png or .svg"), std::string::npos);
}

}  // namespace
}  // namespace attnscope
