// The English -> French corpus: grammar, exact links, splits, files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "core/error.h"
#include "train/parallel_corpus.h"

namespace attnscope::train {
namespace {

const ParallelLexicon& lex() {
  static const ParallelLexicon l = load_parallel_lexicon(default_lexicon_dir());
  return l;
}

int noun(const std::string& en, const std::string& cls = "") {
  for (std::size_t i = 0; i < lex().nouns.size(); ++i)
    if (lex().nouns[i].en == en && (cls.empty() || lex().nouns[i].semantic_class == cls)) return static_cast<int>(i);
  ADD_FAILURE() << "no noun " << en;
  return 0;
}
int adjective(const std::string& en) {
  for (std::size_t i = 0; i < lex().adjectives.size(); ++i)
    if (lex().adjectives[i].en == en) return static_cast<int>(i);
  ADD_FAILURE() << "no adjective " << en;
  return 0;
}
// The first verb of that English form; "wash" is both "laver" and "se laver".
int verb(const std::string& en, int pronominal = -1) {
  for (std::size_t i = 0; i < lex().verbs.size(); ++i)
    if (lex().verbs[i].en_base == en && (pronominal < 0 || lex().verbs[i].pronominal == (pronominal == 1)))
      return static_cast<int>(i);
  ADD_FAILURE() << "no verb " << en;
  return 0;
}

NounPhrase np(const std::string& n, Determiner d = Determiner::The, bool plural = false, const std::string& adj = "") {
  NounPhrase p;
  p.noun = noun(n);
  p.determiner = d;
  p.plural = plural;
  if (!adj.empty()) p.adjective = adjective(adj);
  return p;
}
NounPhrase pronoun(int i) {
  NounPhrase p;
  p.pronoun = i;
  return p;
}

Clause verb_clause(NounPhrase subject, const std::string& v, Tense t, int pronominal = -1) {
  Clause c;
  c.subject = subject;
  c.verb = verb(v, pronominal);
  c.tense = t;
  return c;
}

std::string word(const std::string& text, const WordSpan& s) { return text.substr(s.begin, s.end - s.begin); }

// "source->target" for every link, '*' marking crossing ones.
std::set<std::string> links(const ParallelPair& p) {
  std::set<std::string> out;
  for (const auto& l : p.links)
    out.insert(word(p.source, p.source_words[l.source_word]) + "->" + word(p.target, p.target_words[l.target_word]) +
               (l.crossing ? "*" : ""));
  return out;
}

TEST(ParallelCorpus, BlackCatSeedWithExactLinks) {
  Clause c = verb_clause(np("cat", Determiner::The, false, "black"), "sit", Tense::Past);
  c.preposition = "on";
  c.place = np("mat");
  const ParallelPair p = render_clause(lex(), c);
  EXPECT_EQ(p.source, "The black cat sat on the mat.");
  EXPECT_EQ(p.target, "Le chat noir s'est assis sur le tapis.");
  ASSERT_EQ(p.target_words.size(), 9u);
  EXPECT_EQ(word(p.target, p.target_words[3]), "s'");
  EXPECT_EQ(word(p.target, p.target_words[4]), "est");
  EXPECT_EQ(links(p), (std::set<std::string>{"The->Le", "black->noir*", "cat->chat*", "sat->s'", "sat->est", "sat->assis",
                                             "on->sur", "the->le", "mat->tapis"}));
}

TEST(ParallelCorpus, StudentSeedHasNoArticle) {
  Clause c;
  c.kind = ClauseKind::CopulaJob;
  c.subject = pronoun(0);
  c.object = NounPhrase{};
  c.object->noun = noun("student");
  const ParallelPair p = render_clause(lex(), c);
  EXPECT_EQ(p.source, "I am a student.");
  EXPECT_EQ(p.target, "Je suis étudiant.");
  EXPECT_EQ(links(p), (std::set<std::string>{"I->Je", "am->suis", "student->étudiant"}));
  c.subject = pronoun(3);
  EXPECT_EQ(render_clause(lex(), c).target, "Elle est étudiante.");
  c.subject = pronoun(5);
  EXPECT_EQ(render_clause(lex(), c).source, "They are students.");
  EXPECT_EQ(render_clause(lex(), c).target, "Ils sont étudiants.");
}

TEST(ParallelCorpus, AdjectivesAgreeAndTakeTheirPlace) {
  Clause c = verb_clause(pronoun(0), "see", Tense::Present);
  NounPhrase car = np("car", Determiner::The, false, "red");
  c.object = car;
  EXPECT_EQ(render_clause(lex(), c).target, "Je vois la voiture rouge.");
  c.object = np("house", Determiner::The, true, "old");
  EXPECT_EQ(render_clause(lex(), c).target, "Je vois les vieilles maisons.");
  c.object = np("man", Determiner::A, false, "old");
  EXPECT_EQ(render_clause(lex(), c).target, "Je vois un vieil homme.");
  c.object = np("car", Determiner::A, true, "small");
  EXPECT_EQ(render_clause(lex(), c).target, "Je vois de petites voitures.");
  c.object = np("tree");
  EXPECT_EQ(render_clause(lex(), c).target, "Je vois l'arbre.");
  c.object = np("owl");
  EXPECT_EQ(render_clause(lex(), c).target, "Je vois le hibou.");
  c.object = np("school", Determiner::My);
  EXPECT_EQ(render_clause(lex(), c).target, "Je vois mon école.");
}

TEST(ParallelCorpus, PastParticiplesAgreeWithEtre) {
  Clause c = verb_clause(pronoun(3), "sit", Tense::Past);
  EXPECT_EQ(render_clause(lex(), c).target, "Elle s'est assise.");
  c = verb_clause(pronoun(5), "go", Tense::Past);
  c.preposition = "to";
  c.place = np("market");
  EXPECT_EQ(render_clause(lex(), c).target, "Ils sont allés au marché.");
  c.place = np("school");
  EXPECT_EQ(render_clause(lex(), c).target, "Ils sont allés à l'école.");
  c.place = np("market", Determiner::The, true);
  EXPECT_EQ(render_clause(lex(), c).target, "Ils sont allés aux marchés.");
  c = verb_clause(np("girl", Determiner::The, true), "arrive", Tense::Past);
  EXPECT_EQ(render_clause(lex(), c).target, "Les filles sont arrivées.");
}

TEST(ParallelCorpus, TensesNegationAndPartitive) {
  Clause c = verb_clause(np("dog", Determiner::The, true), "sleep", Tense::Present);
  EXPECT_EQ(render_clause(lex(), c).source, "The dogs sleep.");
  EXPECT_EQ(render_clause(lex(), c).target, "Les chiens dorment.");
  c = verb_clause(np("boy"), "eat", Tense::Future);
  c.object = np("apple", Determiner::A);
  EXPECT_EQ(render_clause(lex(), c).source, "The boy will eat an apple.");
  EXPECT_EQ(render_clause(lex(), c).target, "Le garçon mangera une pomme.");
  c.tense = Tense::Past;
  c.negative = true;
  EXPECT_EQ(render_clause(lex(), c).source, "The boy did not eat an apple.");
  EXPECT_EQ(render_clause(lex(), c).target, "Le garçon n'a pas mangé de pomme.");
  c = verb_clause(pronoun(0), "drink", Tense::Present);
  c.object = np("water", Determiner::Bare);
  EXPECT_EQ(render_clause(lex(), c).target, "Je bois de l'eau.");
  c.object = np("milk", Determiner::Bare);
  EXPECT_EQ(render_clause(lex(), c).target, "Je bois du lait.");
  c.negative = true;
  EXPECT_EQ(render_clause(lex(), c).source, "I do not drink milk.");
  EXPECT_EQ(render_clause(lex(), c).target, "Je ne bois pas de lait.");
  c = verb_clause(pronoun(2), "like", Tense::Past);
  c.object = np("cat", Determiner::His);
  EXPECT_EQ(render_clause(lex(), c).target, "Il aimait son chat.");
  c = verb_clause(pronoun(1), "buy", Tense::Present);
  c.object = np("shirt", Determiner::This);
  EXPECT_EQ(render_clause(lex(), c).target, "Tu achètes cette chemise.");
  c.tense = Tense::Future;
  EXPECT_EQ(render_clause(lex(), c).target, "Tu achèteras cette chemise.");
}

TEST(ParallelCorpus, PrepositionsContractWithArticles) {
  Clause c;
  c.kind = ClauseKind::CopulaPlace;
  c.subject = np("cat");
  c.preposition = "near";
  c.place = np("park");
  ParallelPair p = render_clause(lex(), c);
  EXPECT_EQ(p.target, "Le chat est près du parc.");
  EXPECT_TRUE(links(p).count("near->près") && links(p).count("near->du") && links(p).count("the->du"));
  c.place = np("house");
  EXPECT_EQ(render_clause(lex(), c).target, "Le chat est près de la maison.");
  c.preposition = "in front of";
  EXPECT_EQ(render_clause(lex(), c).target, "Le chat est devant la maison.");
  c.preposition = "under";
  c.place = np("table");
  c.tense = Tense::Past;
  EXPECT_EQ(render_clause(lex(), c).target, "Le chat était sous la table.");
}

TEST(ParallelCorpus, CrossingMarksOppositeOrder) {
  std::vector<WordLink> l = {{0, 0}, {1, 2}, {2, 1}, {3, 3}};
  mark_crossing_links(l);
  EXPECT_FALSE(l[0].crossing);
  EXPECT_TRUE(l[1].crossing);
  EXPECT_TRUE(l[2].crossing);
  EXPECT_FALSE(l[3].crossing);
}

TEST(ParallelCorpus, SpansCoverWordsAndElisionsAttach) {
  const auto pairs = generate_pairs(lex(), Split::Train, 500, 3);
  for (const auto& p : pairs) {
    for (const auto* side : {&p.source_words, &p.target_words}) {
      const std::string& text = side == &p.source_words ? p.source : p.target;
      ASSERT_FALSE(side->empty());
      for (const auto& s : *side) {
        const std::string w = word(text, s);
        ASSERT_FALSE(w.empty()) << text;
        EXPECT_EQ(w.find(' '), std::string::npos) << text;
        EXPECT_NE(w.back(), '.') << text;
      }
    }
    EXPECT_EQ(p.source.back(), '.');
    EXPECT_EQ(p.target.find("' "), std::string::npos) << p.target;
    // no missed elision or contraction
    static const std::regex unelided("(^| )(le|la|je|de|ne|se|me|te) [aeiouéèêâîôûAEIOUÉ]");
    EXPECT_FALSE(std::regex_search(p.target, unelided)) << p.target;
    static const std::regex uncontracted("(^| )(de|à) (le|les) ");
    EXPECT_FALSE(std::regex_search(p.target, uncontracted)) << p.target;
  }
}

TEST(ParallelCorpus, SplitsAreDisjointAndDeterministic) {
  const auto train = generate_pairs(lex(), Split::Train, 3000, 1);
  const auto selection = generate_pairs(lex(), Split::Selection, 300, 1);
  const auto held = generate_pairs(lex(), Split::HeldOut, 300, 1);
  std::set<std::string> train_text;
  for (const auto& p : train) train_text.insert(p.source);
  for (const auto* set : {&selection, &held})
    for (const auto& p : *set) EXPECT_FALSE(train_text.count(p.source)) << p.source;
  for (const auto& p : selection) EXPECT_EQ(split_of_source(p.source), Split::Selection);
  for (const auto& p : held) EXPECT_EQ(split_of_source(p.source), Split::HeldOut);
  const auto again = generate_pairs(lex(), Split::Train, 3000, 1);
  ASSERT_EQ(again.size(), train.size());
  for (std::size_t i = 0; i < train.size(); ++i) EXPECT_EQ(again[i].target, train[i].target);
  EXPECT_GT(train_text.size(), 2500u);  // broad: few repeats
  EXPECT_NE(generate_pairs(lex(), Split::Train, 5, 2)[0].source, train[0].source);
}

TEST(ParallelCorpus, UnseenWordsSetUsesHeldOutWordsOnly) {
  std::set<std::string> held;
  for (const auto& n : lex().nouns)
    if (n.held_out) held.insert(n.en), held.insert(n.en_plural);
  for (const auto& a : lex().adjectives)
    if (a.held_out) held.insert(a.en);
  ASSERT_FALSE(held.empty());
  auto words_of = [](const ParallelPair& p) {
    std::set<std::string> w;
    for (const auto& s : p.source_words) {
      std::string x = word(p.source, s);
      x[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(x[0])));
      w.insert(x);
    }
    return w;
  };
  auto has_held = [&](const ParallelPair& p) {
    // multi-word nouns: compare the whole source too
    for (const auto& h : held)
      if (words_of(p).count(h) || p.source.find(" " + h + " ") != std::string::npos ||
          p.source.find(" " + h + ".") != std::string::npos)
        return true;
    return false;
  };
  for (const auto& p : generate_pairs(lex(), Split::UnseenWords, 200, 1)) EXPECT_TRUE(has_held(p)) << p.source;
  // A held-out word may still be spelled like a training word ("watch" the
  // noun and the verb, "light" in "light bulb"): only words no training entry
  // uses may not occur.
  std::set<std::string> training_words;
  auto add = [&](const std::string& text) {
    std::istringstream in(text);
    for (std::string w; in >> w;) training_words.insert(w);
  };
  for (const auto& n : lex().nouns)
    if (!n.held_out) add(n.en + " " + n.en_plural);
  for (const auto& a : lex().adjectives)
    if (!a.held_out) add(a.en);
  for (const auto& v : lex().verbs) add(v.en_base + " " + v.en_3sg + " " + v.en_past + " " + v.en_participle + " " + v.en_ing);
  int checked = 0;
  for (const auto& p : generate_pairs(lex(), Split::Train, 2000, 1))
    for (const auto& w : words_of(p))
      if (held.count(w) && !training_words.count(w)) ADD_FAILURE() << "held-out word in training: " << p.source;
      else ++checked;
  EXPECT_GT(checked, 10000);
}

TEST(ParallelCorpus, LexiconErrorsNameFileAndLine) {
  const auto dir = std::filesystem::temp_directory_path() / "attnscope_bad_lexicon";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  for (const auto& name : {"verbs.tsv", "adjectives.tsv", "names.tsv"})
    std::filesystem::copy_file(default_lexicon_dir() / name, dir / name);
  {
    std::ofstream out(dir / "nouns_test.tsv");
    out << "# comment\ncat\t-\tchat\tm\t-\tanimal\ndog\t-\tchien\tx\t-\tanimal\n";
  }
  try {
    load_parallel_lexicon(dir);
    FAIL() << "bad gender accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("nouns_test.tsv:3"), std::string::npos) << e.what();
  }
  {
    std::ofstream out(dir / "nouns_test.tsv");
    out << "cat\t-\tchat\n";
  }
  try {
    load_parallel_lexicon(dir);
    FAIL() << "short line accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("nouns_test.tsv:1"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}

TEST(ParallelCorpus, JsonlRoundTrip) {
  const auto pairs = generate_pairs(lex(), Split::Selection, 50, 4);
  const auto path = std::filesystem::temp_directory_path() / "attnscope_pairs_test.jsonl";
  write_pairs_jsonl(pairs, path);
  const auto back = read_pairs_jsonl(path);
  ASSERT_EQ(back.size(), pairs.size());
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    EXPECT_EQ(back[i].source, pairs[i].source);
    EXPECT_EQ(back[i].target, pairs[i].target);
    ASSERT_EQ(back[i].links.size(), pairs[i].links.size());
    for (std::size_t k = 0; k < pairs[i].links.size(); ++k) {
      EXPECT_EQ(back[i].links[k].source_word, pairs[i].links[k].source_word);
      EXPECT_EQ(back[i].links[k].target_word, pairs[i].links[k].target_word);
      EXPECT_EQ(back[i].links[k].crossing, pairs[i].links[k].crossing);
    }
    ASSERT_EQ(back[i].target_words.size(), pairs[i].target_words.size());
    for (std::size_t k = 0; k < pairs[i].target_words.size(); ++k)
      EXPECT_EQ(back[i].target_words[k].begin, pairs[i].target_words[k].begin);
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace attnscope::train
