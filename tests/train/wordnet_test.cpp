// WordNet as the corpus generator reads it, and the lexicon it grows: real
// wordnet-base data, and the honesty of the held-out split (no held-out word
// or synonym of one is ever trained on).
#include <filesystem>
#include <fstream>
#include <set>

#include <gtest/gtest.h>

#include "core/error.h"
#include "train/wordnet.h"
#include "train/wordnet_lexicon.h"

namespace attnscope::train::corpus {
namespace {

const WordNet& nouns() {
  static const WordNet wn = WordNet::read(kWordNetDir, "noun");
  return wn;
}
const WordNet& adjectives() {
  static const WordNet wn = WordNet::read(kWordNetDir, "adj");
  return wn;
}
const WordNetSplit& split() {
  // Words real text uses: enough of them for the test, without reading the corpora.
  static const WordNetSplit s = wordnet_split(nouns(), adjectives(), {"dog", "gorilla", "weary", "poodle", "kettle", "sofa"});
  return s;
}

std::set<std::string> words(const Lexicon& lex) {
  std::set<std::string> out;
  for (const auto& [cls, list] : lex.classes)
    for (const Noun& n : list) out.insert(n.singular);
  return out;
}

TEST(WordNet, ReadsHypernymsSensesAndIrregularPlurals) {
  const WordNet& wn = nouns();
  EXPECT_TRUE(wn.is_a(wn.sense("dog", 1), wn.sense("animal", 1)));
  EXPECT_TRUE(wn.is_a(wn.sense("gorilla", 1), wn.sense("animal", 1)));
  EXPECT_FALSE(wn.is_a(wn.sense("street", 1), wn.sense("animal", 1)));
  EXPECT_TRUE(wn.is_a(wn.sense("mouse", 1), wn.sense("animal", 1)));  // most frequent sense: the rodent
  EXPECT_EQ(plural_of(wn, "mouse"), "mice");
  EXPECT_EQ(plural_of(wn, "box"), "boxes");
  EXPECT_EQ(plural_of(wn, "city"), "cities");
  EXPECT_EQ(plural_of(wn, "monkey"), "monkeys");
  EXPECT_GT(wn.tagged_count("dog"), 0);
  EXPECT_THROW(wn.sense("dog", 99), Error);
}

TEST(WordNet, AdjectiveClustersLinkSimilarWords) {
  const WordNet& wn = adjectives();
  const Synset& tired = wn.synset(wn.sense("tired", 1));
  bool has_exhausted = false;
  for (std::uint32_t s : tired.similar)
    for (const std::string& lemma : wn.synset(s).lemmas) has_exhausted = has_exhausted || lemma == "exhausted";
  EXPECT_TRUE(has_exhausted);
}

TEST(WordNet, MissingOrMalformedFilesNameTheProblem) {
  const auto dir = std::filesystem::temp_directory_path() / "attnscope-wordnet-test";
  std::filesystem::create_directories(dir);
  try {
    WordNet::read(dir, "noun");
    FAIL() << "read an empty directory";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("data.noun"), std::string::npos) << e.what();
  }
  std::ofstream(dir / "data.noun") << "00001740 03 n 01 entity 0 zz\n";
  try {
    WordNet::read(dir, "noun");
    FAIL() << "read a malformed synset";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("data.noun:1"), std::string::npos) << e.what();
  }
  EXPECT_THROW(WordNet::read(dir, "verb"), Error);
  std::filesystem::remove_all(dir);
}

TEST(WordNetLexicon, GrowsEachClassFromDozensToHundreds) {
  for (const char* cls : {"animal", "person", "food", "container"}) {
    std::set<std::string> distinct;
    for (const Noun& n : split().training.classes.at(cls)) distinct.insert(n.singular);
    EXPECT_GT(distinct.size(), 2 * lexicon(false).classes.at(cls).size()) << cls;
  }
  EXPECT_GT(split().training_nouns, 500);
  EXPECT_GT(split().held_out_nouns, 500);
}

TEST(WordNetLexicon, NoHeldOutWordOrSynonymIsTrainedOn) {
  const std::set<std::string> training = words(split().training), held_out = words(split().held_out);
  for (const std::string& w : held_out) EXPECT_FALSE(training.count(w)) << w;
  // Synonyms: no training noun shares a synset with a held-out noun.
  std::set<std::uint32_t> held_synsets;
  for (const std::string& w : held_out)
    for (std::uint32_t s : nouns().senses(w)) held_synsets.insert(s);
  for (const std::string& w : training)
    for (std::uint32_t s : nouns().senses(w)) EXPECT_FALSE(held_synsets.count(s)) << w << " shares a synset with a held-out noun";
  EXPECT_TRUE(held_out.count("gorilla"));
  EXPECT_FALSE(held_out.count("grandpa")) << "a synonym of the training half's grandfather";
}

TEST(WordNetLexicon, ReasonsGainSimilarAdjectivesButNoHeldOutOne) {
  EXPECT_GT(split().training_reasons, 20);
  std::set<std::string> held_words;
  for (const Schema& s : lexicon(true).schemas)
    for (const auto* list : {&s.reasons_a, &s.reasons_b})
      for (const std::string& r : *list) held_words.insert(r.substr(r.rfind(' ') + 1));
  std::set<std::string> hand_written;
  for (const Schema& s : lexicon(false).schemas)
    for (const auto* list : {&s.reasons_a, &s.reasons_b}) hand_written.insert(list->begin(), list->end());
  bool weary = false;
  for (const Schema& s : split().training.schemas)
    for (const auto* list : {&s.reasons_a, &s.reasons_b})
      for (const std::string& r : *list) {
        if (hand_written.count(r)) continue;  // only what WordNet added
        const std::string last = r.substr(r.rfind(' ') + 1);
        EXPECT_FALSE(held_words.count(last)) << r;
        weary = weary || last == "weary";
      }
  EXPECT_TRUE(weary) << "tired's cluster should reach weary";
}

}  // namespace
}  // namespace attnscope::train::corpus
