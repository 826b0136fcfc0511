// The corpus generator: reproducible from its seed, pronoun items whose
// labels point at real words, a probe set built from the held-out half of
// the lexicon, and Brown's detokenisation.
#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "train/corpus_generator.h"
#include "train/corpus_lexicon.h"
#include "train/corpus_mix.h"

namespace attnscope::train::corpus {
namespace {

TEST(CorpusGenerator, SameSeedSameDocuments) {
  const auto a = generate_documents(42, 50000), b = generate_documents(42, 50000), c = generate_documents(43, 50000);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  std::size_t bytes = 0;
  for (const auto& d : a) bytes += d.text.size() + 1;
  EXPECT_GE(bytes, 50000u);
  EXPECT_EQ(probe_set_jsonl(7, 50), probe_set_jsonl(7, 50));
  EXPECT_NE(probe_set_jsonl(7, 50), probe_set_jsonl(8, 50));
}

// Stories only: each document is a story with at most one item, so no item
// stands beside its named-again twin; by default many documents hold runs of items.
TEST(CorpusGenerator, StoriesOnlyHoldOneItemPerDocument) {
  GeneratorOptions stories;
  stories.stories_only = true;
  const auto docs = generate_documents(3, 40000, stories);
  for (const Document& doc : docs) EXPECT_LE(doc.links.size(), 1u) << doc.text;
  const auto linked = std::count_if(docs.begin(), docs.end(), [](const Document& d) { return d.links.size() == 1; });
  EXPECT_GT(linked, static_cast<long>(docs.size() / 3));
  const auto mixed = generate_documents(3, 40000);
  EXPECT_TRUE(std::any_of(mixed.begin(), mixed.end(), [](const Document& d) { return d.links.size() > 1; }));
}

TEST(CorpusGenerator, ItemsLabelThePronounAndTheCandidates) {
  const std::set<std::string> pronouns = {"it", "It", "he", "He", "she", "She", "they", "They"};
  std::set<std::string> schemas, decided;
  for (std::uint64_t n = 0; n < 500; ++n) {
    Rng rng(1, n);
    const Item item = make_item(rng, n % 2 == 1);
    const std::string pronoun = item.text.substr(item.pronoun.start, item.pronoun.end - item.pronoun.start);
    EXPECT_TRUE(pronouns.count(pronoun)) << item.text << " -> '" << pronoun << "'";
    const std::string a = item.text.substr(item.candidates[0].start, item.candidates[0].end - item.candidates[0].start);
    const std::string b = item.text.substr(item.candidates[1].start, item.candidates[1].end - item.candidates[1].start);
    EXPECT_NE(a, b) << item.text;
    // Named again, the referent's noun stands where the pronoun was.
    const std::string referent = item.answer == 0 ? a : b;
    EXPECT_NE(item.named_again, item.text);
    EXPECT_NE(item.named_again.find(referent), std::string::npos) << item.named_again;
    EXPECT_TRUE(std::isupper(static_cast<unsigned char>(item.text[0]))) << item.text;
    EXPECT_EQ(item.text.back(), '.');
    schemas.insert(item.schema);
    decided.insert(item.decided_by);
  }
  EXPECT_GE(schemas.size(), 10u);
  EXPECT_EQ(decided, (std::set<std::string>{"meaning", "gender", "number", "animacy"}));
}

TEST(CorpusGenerator, ProbeSetSkipsTextsTheCheckRejects) {
  std::set<std::string> rejected;
  const auto every_other = [&, n = 0](const std::string& text) mutable {
    if (n++ % 2 == 0) return true;
    rejected.insert(text);
    return false;
  };
  std::istringstream lines(probe_set_jsonl(3, 40, false, every_other));
  int count = 0;
  for (std::string line; std::getline(lines, line); ++count)
    EXPECT_FALSE(rejected.count(nlohmann::json::parse(line).at("text").get<std::string>()));
  EXPECT_EQ(count, 40);
  EXPECT_GE(rejected.size(), 39u);
  EXPECT_THROW(probe_set_jsonl(3, 5, false, [](const std::string&) { return false; }), Error);
}

TEST(CorpusGenerator, ProbeSetUsesOnlyHeldOutNouns) {
  std::set<std::string> training_nouns;
  for (const auto& [name, nouns] : lexicon(false).classes)
    for (const Noun& n : nouns) training_nouns.insert({n.singular, n.plural});
  std::istringstream lines(probe_set_jsonl(11, 300));
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    const auto j = nlohmann::json::parse(line);
    const auto& words = j["words"];
    const int pronoun = j["pronoun"], answer = j["answer"];
    ASSERT_LT(pronoun, static_cast<int>(words.size()));
    EXPECT_TRUE(answer == j["candidates"][0] || answer == j["candidates"][1]) << line;
    for (int c : j["candidates"]) EXPECT_FALSE(training_nouns.count(words[static_cast<size_t>(c)])) << words[static_cast<size_t>(c)] << " in " << j["text"];
    ++count;
  }
  EXPECT_EQ(count, 300);
}

TEST(CorpusGenerator, TrainingTextHasTheSeedSentenceShape) {
  // The seed example's schema is in the training half with both answers.
  const auto& schemas = lexicon(false).schemas;
  const auto cross = std::find_if(schemas.begin(), schemas.end(), [](const Schema& s) { return s.name == "cross"; });
  ASSERT_NE(cross, schemas.end());
  EXPECT_NE(std::find(cross->reasons_a.begin(), cross->reasons_a.end(), "{p} {p.was} too tired"), cross->reasons_a.end());
  EXPECT_NE(std::find(cross->reasons_b.begin(), cross->reasons_b.end(), "{p} {p.was} too wide"), cross->reasons_b.end());
}

TEST(CorpusMix, DetokenisesBrown) {
  EXPECT_EQ(detokenize("The jury said \" no evidence \" that any irregularities took place ."),
            "The jury said \"no evidence\" that any irregularities took place.");
  EXPECT_EQ(detokenize("He paid $ 5 ( five ) dollars , didn't he ?"), "He paid $5 (five) dollars, didn't he?");
}

TEST(CorpusMix, ParsesAndNormalisesShares) {
  const CorpusMix mix = parse_mix("generated=2,brown=1,tinystories=1", 1000);
  EXPECT_DOUBLE_EQ(mix.shares.at("generated"), 0.5);
  EXPECT_EQ(mix_string(mix), "brown=0.25,generated=0.50,tinystories=0.25");
  EXPECT_THROW(parse_mix("wikipedia=1", 1000), attnscope::Error);
  EXPECT_THROW(parse_mix("brown=x", 1000), attnscope::Error);
}

}  // namespace
}  // namespace attnscope::train::corpus
