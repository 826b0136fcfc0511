// The translation lexicon against FreeDict and WordNet, when installed.
#include <gtest/gtest.h>

#include <iostream>

#include "train/lexicon_evidence.h"

namespace attnscope::train {
namespace {

TEST(LexiconEvidence, FreeDictAndWordNetAgreeWithTheLexicon) {
  if (!std::filesystem::exists(kFreeDictData) || !std::filesystem::exists(kWordNetDir / "data.noun"))
    GTEST_SKIP() << "dict-freedict-eng-fra or wordnet-base not installed (see .ci/packages.txt)";
  const auto freedict = read_freedict(kFreeDictIndex, kFreeDictData);
  const auto wordnet = read_wordnet_nouns(kWordNetDir);
  ASSERT_TRUE(freedict.count("cat"));
  EXPECT_TRUE(freedict.at("cat").count("chat"));
  ASSERT_TRUE(wordnet.count("cat"));
  EXPECT_TRUE(wordnet.at("cat").count(5));  // noun.animal
  const EvidenceReport r = check_lexicon(load_parallel_lexicon(default_lexicon_dir()), freedict, wordnet);
  std::cout << "FreeDict: " << r.agreeing << " of " << r.checked << " headwords agree\n"
            << "WordNet: " << r.wordnet_nouns << " of " << r.nouns << " nouns found, " << r.class_agreeing
            << " in their class's lexicographer files\n";
  EXPECT_GT(r.checked, 300);
  EXPECT_GT(r.agreeing, r.checked * 6 / 10);
  EXPECT_GT(r.wordnet_nouns, r.nouns * 8 / 10);
  EXPECT_GT(r.class_agreeing, r.wordnet_nouns * 85 / 100);
}

}  // namespace
}  // namespace attnscope::train
