// Subject verbs grown from WordNet's verb files: the reader's verb frames,
// the verb forms, the synset-level held-out split, and the dictionary source.
#include <filesystem>
#include <fstream>
#include <set>

#include <gtest/gtest.h>

#include "core/error.h"
#include "train/corpus_mix.h"
#include "train/wordnet.h"
#include "train/wordnet_glosses.h"
#include "train/wordnet_verbs.h"

namespace attnscope::train::corpus {
namespace {

const WordNet& verbs() {
  static const WordNet wn = WordNet::read(kWordNetDir, "verb");
  return wn;
}

// Past and present forms of the verbs the test looks at, as real text would know them.
const std::set<std::string>& known() {
  static const std::set<std::string> words = {"barked", "barks", "sat", "went", "lay", "stopped", "cried", "danced",
                                              "stumbled", "stumbles", "whispered", "whispers", "yawned", "yawns",
                                              "nodded", "nods", "wandered", "wanders", "sang", "sung"};
  return words;
}

const WordNetSplit& split() {
  static const WordNetSplit s = [] {
    WordNetSplit out{lexicon(false), lexicon(true)};
    add_wordnet_verbs(verbs(), known(), out);
    return out;
  }();
  return s;
}

std::set<std::string> bases(const std::vector<Verb>& list) {
  std::set<std::string> out;
  for (const Verb& v : list) out.insert(v.plural);
  return out;
}

TEST(WordNetVerbs, ReaderKeepsFramesGlossesAndEveryIrregularForm) {
  const Synset& sleep = verbs().synset(verbs().sense("sleep", 1));
  EXPECT_EQ(sleep.frames, std::vector<int>{2});  // "Somebody ----s"
  EXPECT_EQ(sleep.lexicographer_file, 29);       // verb.body
  EXPECT_EQ(sleep.gloss.substr(0, 9), "be asleep") << sleep.gloss;
  const auto& sing = verbs().irregular_forms("sing");
  EXPECT_EQ(std::set<std::string>(sing.begin(), sing.end()), (std::set<std::string>{"sang", "singing", "sung"}));
}

TEST(WordNetVerbs, FormsFollowEnglishAndRealText) {
  EXPECT_EQ(past_of(verbs(), "sit", known()), "sat");
  EXPECT_EQ(past_of(verbs(), "go", known()), "went");      // not the participle "gone"
  EXPECT_EQ(past_of(verbs(), "lie", known()), "lay");      // not "lain"
  EXPECT_EQ(past_of(verbs(), "sing", known()), "sang");
  EXPECT_EQ(past_of(verbs(), "stop", known()), "stopped");
  EXPECT_EQ(past_of(verbs(), "cry", known()), "cried");
  EXPECT_EQ(past_of(verbs(), "dance", known()), "danced");
  EXPECT_EQ(past_of(verbs(), "bark", known()), "barked");
  EXPECT_EQ(past_of(verbs(), "gallop", known()), "") << "no known past: left out";
  EXPECT_EQ(third_person_of("bark"), "barks");
  EXPECT_EQ(third_person_of("cry"), "cries");
  EXPECT_EQ(third_person_of("go"), "goes");
  EXPECT_EQ(third_person_of("wash"), "washes");
  EXPECT_EQ(third_person_of("play"), "plays");
}

TEST(WordNetVerbs, SplitBySynsetNeverTrainsOnAHeldOutVerbOrItsSynonym) {
  const std::set<std::string> training = bases(split().training.subject_verbs), held = bases(split().held_out.subject_verbs);
  EXPECT_GT(split().training_verbs + split().held_out_verbs, 2);
  EXPECT_TRUE(training.count("bark") || held.count("bark"));
  EXPECT_TRUE(training.count("sit")) << "the hand-written verbs stay";
  EXPECT_TRUE(held.count("yawn")) << "the hand-written held-out verbs stay";
  EXPECT_FALSE(held.count("weep")) << "a synonym of the training half's cry";
  for (const std::string& v : held) EXPECT_FALSE(training.count(v)) << v;
  std::set<std::uint32_t> held_synsets;
  for (const std::string& v : held)
    for (std::uint32_t s : verbs().senses(v)) held_synsets.insert(s);
  for (const std::string& v : training)
    for (std::uint32_t s : verbs().senses(v)) EXPECT_FALSE(held_synsets.count(s)) << v << " shares a synset with a held-out verb";
}

TEST(WordNetVerbs, RealTextGrowsTheVerbsToHundreds) {
  WordNetSplit grown{lexicon(false), lexicon(true)};
  std::set<std::string> all;  // every past and third-person form WordNet could ask for
  for (const auto& [base, senses] : verbs().index()) {
    all.insert(base + "ed"), all.insert(base + "d"), all.insert(third_person_of(base));
    for (const std::string& f : verbs().irregular_forms(base)) all.insert(f);
  }
  add_wordnet_verbs(verbs(), all, grown);
  EXPECT_GT(grown.training_verbs, 300);
  EXPECT_GT(grown.held_out_verbs, 300);
  // The hand-written verbs are repeated to stay about half of the draws.
  const auto sat = std::count_if(grown.training.subject_verbs.begin(), grown.training.subject_verbs.end(),
                                 [](const Verb& v) { return v.past == "sat"; });
  EXPECT_GE(static_cast<int>(sat) * static_cast<int>(lexicon(false).subject_verbs.size()), grown.training_verbs);
}

TEST(WordNetVerbs, AMalformedVerbFrameNamesTheFileAndLine) {
  const auto dir = std::filesystem::temp_directory_path() / "attnscope-wordnet-verb-test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "index.verb") << "sleep v 1 0 1 1 00014742\n";
  std::ofstream(dir / "verb.exc") << "slept sleep\n";
  std::ofstream(dir / "data.verb") << "00014742 29 v 01 sleep 0 000 01 + 02 00 | be asleep\n";
  const WordNet ok = WordNet::read(dir, "verb");
  EXPECT_EQ(ok.synset(14742).frames, std::vector<int>{2});
  EXPECT_EQ(ok.synset(14742).gloss, "be asleep");
  std::ofstream(dir / "data.verb") << "00014742 29 v 01 sleep 0 000 02 + 02 00 | be asleep\n";
  try {
    WordNet::read(dir, "verb");
    FAIL() << "read a synset with a missing frame";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("data.verb:1"), std::string::npos) << e.what();
  }
  std::ofstream(dir / "data.verb") << "00014742 29 v 01 sleep 0 000 01 + xx 00 | be asleep\n";
  EXPECT_THROW(WordNet::read(dir, "verb"), Error);
  std::filesystem::remove_all(dir);
}

TEST(WordNetGlosses, EntriesReadAsADictionary) {
  EXPECT_EQ(gloss_entry("ice_cream", "frozen dessert "), "ice cream: frozen dessert.");
  EXPECT_EQ(gloss_entry("sit", "be seated; \"sit down\""), "sit: be seated; \"sit down\"");
  const std::vector<std::string> docs = gloss_documents({"gorilla", "coyote"}, 8);
  ASSERT_GT(docs.size(), 1000u);  // the sense-tagged words join too
  bool gorilla = false;
  for (const std::string& d : docs) gorilla = gorilla || d.find("\ngorilla: largest anthropoid ape") != std::string::npos ||
                                              d.rfind("gorilla: largest anthropoid ape", 0) == 0;
  EXPECT_TRUE(gorilla);
  EXPECT_EQ(parse_mix("glosses=0.1,generated=0.9", 1000).shares.at("glosses"), 0.1);
}

}  // namespace
}  // namespace attnscope::train::corpus
