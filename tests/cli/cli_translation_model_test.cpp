// The shipped translation model from the command line: the tutorials' two
// sentences come out as the tutorials print them.
#include <gtest/gtest.h>

#include "cli_runner.h"

namespace attnscope {
namespace {

const std::string kModel = std::string(ATTNSCOPE_SOURCE_DIR) + "/assets/models/attnscope-tiny-translate";

TEST(CliTranslationModel, TranslatesTheTutorialSentences) {
  const std::pair<const char*, const char*> seeds[] = {
      {"The black cat sat on the mat.", "Le chat noir s'est assis sur le tapis.\n"},
      {"I am a student.", "Je suis étudiant.\n"},
  };
  for (const auto& [english, french] : seeds) {
    const testing::CliResult r = testing::run_cli({"translate", "--model", kModel, "--text", english});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, french) << english;
  }
}

}  // namespace
}  // namespace attnscope
