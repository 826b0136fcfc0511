// The English -> French lexicon of the generated translation corpus, read
// from TSV files (src/train/lexicon/). Every entry carries the forms the
// grammar needs on both sides; regular forms may be written "-" and are then
// derived by rule (English -s/-ed, French -s/-x plurals, -er/-ir/-re
// conjugation), irregular ones are spelled out.
#pragma once
#include <array>
#include <filesystem>
#include <string>
#include <vector>

namespace attnscope::train {

struct LexNoun {
  std::string en, en_plural;
  std::string fr, fr_plural;
  char gender = 'm';              // 'm' or 'f' of `fr`
  std::string fr_feminine;        // persons: the feminine noun ("étudiante"), empty when none
  std::string semantic_class;     // person, job, animal, food, drink, furniture, place, ...
  bool mass = false;              // uncountable: bare English noun, French partitive
  bool aspirated_h = false;       // "le haricot": no elision, no liaison forms
  bool held_out = false;          // reserved for the unseen-words set
};

struct LexAdjective {
  std::string en;
  std::array<std::string, 4> fr;  // m sg, f sg, m pl, f pl
  std::string fr_before_vowel;    // "bel", "nouvel", "vieil"; empty when none
  bool before_noun = false;       // "petit", "grand" ... precede the noun
  std::string applies_to;         // "any", "animate", "person", "thing" or a list of classes "food,drink"
  bool held_out = false;
};

struct LexVerb {
  std::string en_base, en_3sg, en_past, en_participle, en_ing;
  std::string fr_infinitive;
  std::array<std::string, 6> fr_present;  // je tu il nous vous ils
  std::string fr_participle, fr_future_stem;
  bool etre = false;                      // passé composé with être
  bool pronominal = false;                // "s'asseoir": se, me, te ...
  bool stative = false;                   // no English progressive ("is knowing")
  std::string frame;                      // "intr", "tr", "motion", "copula", "have"
  std::vector<std::string> subjects;      // semantic classes allowed as subject
  std::vector<std::string> objects;       // semantic classes allowed as object (tr)
};

struct LexName {
  std::string name;
  char gender = 'm';
};

struct ParallelLexicon {
  std::vector<LexNoun> nouns;
  std::vector<LexAdjective> adjectives;
  std::vector<LexVerb> verbs;
  std::vector<LexName> names;
};

// Reads every nouns_*.tsv, adjectives*.tsv, verbs*.tsv and names.tsv of
// `dir`. Throws attnscope::Error naming file:line on a malformed line.
ParallelLexicon load_parallel_lexicon(const std::filesystem::path& dir);
// The lexicon shipped with the sources.
std::filesystem::path default_lexicon_dir();

// Which nouns and adjectives are held out: a fixed hash of the English word,
// never a word of the tutorials' sentences.
bool is_held_out_word(const std::string& english);

// French rules, exposed for tests and for the loader.
std::string french_plural(const std::string& singular);
std::array<std::string, 4> french_adjective_forms(const std::string& masculine);
std::string english_plural(const std::string& singular);

}  // namespace attnscope::train
