// Retold stories: nouns swap within their class, story-wide and in the same
// number, articles follow the new noun, people keep their words (or, if
// asked, swap within their gender), compounds keep theirs, and the inserted
// items' links point at their pronouns.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "core/error.h"
#include "train/corpus_mix.h"
#include "train/retold_stories.h"
#include "train_test_support.h"

namespace attnscope::train::corpus {
namespace {

Noun thing(const std::string& singular, const std::string& plural, Kind kind = Kind::Thing) {
  return Noun{singular, plural, 'n', kind, false};
}

// Small classes whose members the tests know, and one schema over them; the
// connectives, openers and relative clauses of the hand-written training half.
Lexicon small_lexicon() {
  Lexicon lex = lexicon(false);
  lex.classes = {{"animal", {thing("dog", "dogs", Kind::Animal), thing("fox", "foxes", Kind::Animal),
                             thing("owl", "owls", Kind::Animal), thing("bear", "bears", Kind::Animal)}},
                 {"small_object", {thing("ball", "balls"), thing("apple", "apples"), thing("umbrella", "umbrellas"),
                                   thing("teddy", "teddies"), thing("rice", "")}},
                 {"person", {Noun{"farmer", "farmers", 'm', Kind::Person, false}, Noun{"aunt", "aunts", 'f', Kind::Person, false},
                             Noun{"king", "kings", 'm', Kind::Person, false}, Noun{"queen", "queens", 'f', Kind::Person, false},
                             Noun{"nun", "nuns", 'f', Kind::Person, false}, Noun{"pilot", "pilots", '?', Kind::Person, false},
                             Noun{"Tom", "", 'm', Kind::Person, true}}}};
  lex.schemas = {Schema{"fall", "small_object", "animal", {"{a} fell on {b}"}, {"{p} {p.was} too heavy"}, {"{p} {p.was} too slow"}, true}};
  return lex;
}

// The words of a text (runs of letters), in order.
std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out(1);
  for (const char c : text) {
    if (std::isalpha(static_cast<unsigned char>(c))) out.back() += c;
    else if (!out.back().empty()) out.emplace_back();
  }
  if (out.back().empty()) out.pop_back();
  return out;
}

// The story retold; a short story gets one item after one of its sentences.
std::string retold_text(Rng& rng, const Lexicon& lex, const std::string& story) {
  const Document doc = retell_story(rng, lex, swappable_nouns(lex), story);
  EXPECT_GT(doc.text.size(), story.size());
  return doc.text;
}

TEST(RetoldStories, SwappableNounsAreAnimalsAndThingsWithBothForms) {
  const Lexicon lex = small_lexicon();
  const auto nouns = swappable_nouns(lex);
  EXPECT_FALSE(nouns.at("dog").plural);
  EXPECT_TRUE(nouns.at("foxes").plural);
  EXPECT_EQ(nouns.at("foxes").singular, "fox");
  EXPECT_EQ(nouns.at("apples").cls, &lex.classes.at("small_object"));
  EXPECT_EQ(nouns.count("farmer"), 0u);  // a person keeps the story's he or she
  EXPECT_EQ(nouns.count("rice"), 0u);    // no plural: "a rice" would read wrong
}

TEST(RetoldStories, ANounBecomesOneNounOfItsClassEverywhereInTheStory) {
  const Lexicon lex = small_lexicon();
  const std::set<std::string> animals = {"dog", "fox", "owl", "bear"}, animal_plurals = {"dogs", "foxes", "owls", "bears"};
  const std::string story = "The dog saw the farmer. The dog ran home, and all the dogs barked. Then the farmer slept.";
  int swapped = 0;
  for (std::uint64_t seed = 0; seed < 40; ++seed) {
    Rng rng(seed);
    const std::vector<std::string> w = words(retold_text(rng, lex, story));
    // The item goes after a sentence end and never says "saw" or "barked".
    std::string singular, plural;
    for (std::size_t k = 1; k + 1 < w.size(); ++k) {
      if (w[k - 1] == "The" && w[k + 1] == "saw" && singular.empty()) singular = w[k];
      if (w[k - 1] == "the" && w[k + 1] == "barked" && plural.empty()) plural = w[k];
    }
    ASSERT_TRUE(animals.count(singular)) << singular;
    ASSERT_TRUE(animal_plurals.count(plural)) << plural;
    EXPECT_EQ(swappable_nouns(lex).at(plural).singular, singular) << "seed " << seed;
    EXPECT_NE(std::find(w.begin(), w.end(), "farmer"), w.end());
    swapped += singular != "dog";
  }
  EXPECT_GT(swapped, 15);  // about 70% of stories swap a noun
  EXPECT_LT(swapped, 40);  // and some keep it
}

TEST(RetoldStories, ArticlesFollowTheNewNoun) {
  const Lexicon lex = small_lexicon();
  int an = 0;
  for (std::uint64_t seed = 0; seed < 60; ++seed) {
    Rng rng(seed);
    const std::string text = retold_text(rng, lex, "A ball fell. She found a ball and a ball.");
    for (const char* wrong : {"A apple", "a apple", "A umbrella", "a umbrella", "an ball", "An ball", "an teddy"})
      EXPECT_EQ(text.find(wrong), std::string::npos) << text;
    an += text.find("An apple") != std::string::npos || text.find("An umbrella") != std::string::npos;
  }
  EXPECT_GT(an, 0);
}

TEST(RetoldStories, TheFirstHalfOfACompoundStays) {
  const Lexicon lex = small_lexicon();
  for (std::uint64_t seed = 0; seed < 30; ++seed) {
    Rng rng(seed);
    const std::string text = retold_text(rng, lex, "She gave her teddy bear a hat.");
    EXPECT_NE(text.find("her teddy "), std::string::npos) << text;
  }
}

TEST(RetoldStories, ItemsSitBetweenSentencesAndTheirLinksPointAtPronouns) {
  const Lexicon& lex = lexicon(false);
  const auto nouns = swappable_nouns(lex);
  const std::set<std::string> pronouns = {"he", "she", "it", "they", "He", "She", "It", "They", "him", "her", "them", "his", "its", "their"};
  int links = 0;
  for (std::uint64_t n = 0; n < 30; ++n) {
    const std::string& story = testing::stories(30)[n];
    Rng rng(7, n);
    const Document doc = retell_story(rng, lex, nouns, story);
    EXPECT_GE(doc.text.size(), story.size() + std::max<std::size_t>(1, story.size() / 400) * 20);
    for (const Coreference& link : doc.links) {
      ASSERT_LE(link.pronoun.end, doc.text.size());
      const std::string word = doc.text.substr(link.pronoun.start, link.pronoun.end - link.pronoun.start);
      EXPECT_TRUE(pronouns.count(word)) << "'" << word << "' in " << doc.text;
      EXPECT_NE(doc.text.find(link.antecedent), std::string::npos) << link.antecedent;
      ++links;
    }
  }
  EXPECT_GT(links, 15);  // about half the items are in pronoun form
}

TEST(RetoldStories, PeopleSwapOnlyWhenAskedAndWithinTheirGender) {
  const Lexicon lex = small_lexicon();
  const auto nouns = swappable_nouns(lex, true);
  EXPECT_EQ(nouns.at("queens").gender, 'f');
  EXPECT_EQ(nouns.at("pilot").gender, '?');
  EXPECT_EQ(nouns.count("Tom"), 0u);  // a name keeps the story's own
  EXPECT_EQ(nouns.at("dog").gender, 'n');
  const std::map<std::string, char> gender = {{"farmer", 'm'}, {"king", 'm'}, {"aunt", 'f'}, {"queen", 'f'}, {"nun", 'f'}};
  std::set<std::string> became;
  for (std::uint64_t seed = 0; seed < 60; ++seed) {
    Rng rng(seed);
    const Document doc = retell_story(rng, lex, nouns, "The aunt saw the farmer. The aunt waved, and the farmer smiled.");
    const std::vector<std::string> w = words(doc.text);
    const auto after_the = [&](const std::string& verb) {
      for (std::size_t k = 1; k + 1 < w.size(); ++k)
        if (w[k + 1] == verb && (w[k - 1] == "The" || w[k - 1] == "the")) return w[k];
      return std::string();
    };
    const std::string her = after_the("waved"), his = after_the("smiled");
    ASSERT_TRUE(gender.count(her) && gender.count(his)) << doc.text;
    EXPECT_EQ(gender.at(her), 'f') << doc.text;
    EXPECT_EQ(gender.at(his), 'm') << doc.text;
    became.insert(her);
  }
  EXPECT_EQ(became, (std::set<std::string>{"aunt", "queen", "nun"}));
  Rng rng(1);
  EXPECT_EQ(words(retell_story(rng, lex, swappable_nouns(lex), "The aunt waved.").text)[1], "aunt");
}

TEST(RetoldStories, RetoldCorporaAreReproducible) {
  const auto corpora = attnscope::testing::shared_dir() / "corpora";
  CorpusMix mix = parse_mix("generated=1", 64u << 10);
  mix.stories_only = true;
  mix.retold = true;
  const std::string first = generated_text(mix, 3, corpora);
  EXPECT_EQ(first, generated_text(mix, 3, corpora));
  EXPECT_NE(first, generated_text(mix, 4, corpora));
  mix.retold = false;
  EXPECT_NE(first, generated_text(mix, 3, corpora));
}

// A masked model's mix keeps its runs of items beside their named-again
// twins; only its stories are retold.
TEST(RetoldStories, AMaskedModelsMixRetellsItsStoriesAndKeepsItsItems) {
  const auto corpora = attnscope::testing::shared_dir() / "corpora";
  CorpusMix mix = parse_mix("generated=1", 64u << 10);
  const std::vector<Document> templates = build_corpus(corpora, mix, 3);
  mix.retold = mix.retold_people = true;
  const std::vector<Document> retold = build_corpus(corpora, mix, 3);
  EXPECT_EQ(mix_string(mix), "generated=1.00,retold-people");
  const auto from_tinystories = [](const std::vector<Document>& docs) {
    return std::count_if(docs.begin(), docs.end(), [](const Document& d) { return d.text.find("Once upon a time") != std::string::npos; });
  };
  EXPECT_EQ(from_tinystories(templates), 0);
  EXPECT_GT(from_tinystories(retold), 5);
  // Runs of items with their named-again twins are still there: a document
  // with at least two links and no story.
  EXPECT_TRUE(std::any_of(retold.begin(), retold.end(), [](const Document& d) { return d.links.size() >= 2 && d.text.size() < 400; }));
}

}  // namespace
}  // namespace attnscope::train::corpus
