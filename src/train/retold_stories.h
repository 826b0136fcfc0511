// Generated stories a causal model can read without learning a template:
// real children's stories (TinyStories) retold with the lexicon's animals
// and things (and, if asked, people) in place of their own, and pronoun
// items (one for about every 400 bytes of story) placed after some of their
// sentences. The wording around the new nouns is real English, so the
// generated share teaches the lexicon's words without sentences of its own
// that samples would drift into. Everything is reproducible from a seed.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "train/corpus_generator.h"
#include "train/corpus_lexicon.h"
#include "train/rng.h"

namespace attnscope::train::corpus {

// Where a noun of a story can come from in the lexicon.
struct LexiconNoun {
  const std::vector<Noun>* cls = nullptr;  // the class it is swapped within
  bool plural = false;                     // the word is the plural form
  std::string singular;                    // the noun it is a form of
  char gender = 'n';                       // a person's: swapped only for one of the same gender
};

// Every one-word animal and thing of a lexicon, by singular and plural form.
// With `people`, person nouns too ("girl", "farmer"; never names): each is
// swapped only for one of its own gender, so the story's he/she still fits.
std::map<std::string, LexiconNoun> swappable_nouns(const Lexicon& lex, bool people = false);

// The story with each swappable noun that follows a determiner ("the dog",
// "a ball", "her toys") replaced, story-wide and in the same number, by a
// random noun of its class; "a"/"an" follow the new noun. Then items of the
// lexicon, each in pronoun or named-again form, after random sentences.
Document retell_story(Rng& rng, const Lexicon& lex, const std::map<std::string, LexiconNoun>& nouns,
                      const std::string& story);

// The stories to retell and the lexicon's swappable nouns.
struct RetellSource {
  std::vector<std::string> stories;
  std::map<std::string, LexiconNoun> nouns;
};

// A random story of the source, retold.
Document retold_story(Rng& rng, const Lexicon& lex, const RetellSource& source);

}  // namespace attnscope::train::corpus
