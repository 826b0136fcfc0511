// The corpus lexicon grown from WordNet: thousands of nouns for each
// candidate class (animal, person, food, container...) and, for each
// adjective the reasons use, its similar-to cluster (tired ~ weary).
//
// Held-out words stay honest: a WordNet synset is either training or held
// out, never both. Every synset of a word in the hand-written held-out half
// (gorilla, exhausted...) is held out, and so is about half of the others,
// chosen by a hash of the synset, for a larger new-word probe. So no synonym
// of a held-out word is ever trained on.
#pragma once
#include <filesystem>
#include <set>
#include <string>

#include "train/corpus_lexicon.h"
#include "train/wordnet.h"

namespace attnscope::train::corpus {

struct WordNetSplit {
  Lexicon training;  // the hand-written training half plus WordNet's training synsets
  Lexicon held_out;  // the hand-written held-out half plus WordNet's held-out synsets
  int training_nouns = 0, held_out_nouns = 0, training_reasons = 0;  // what WordNet added
  int training_verbs = 0, held_out_verbs = 0;                        // added by add_wordnet_verbs
};

// A lower-case word of 3 to 14 letters, no spaces or hyphens.
bool plain_word(const std::string& w);
// About half of WordNet's synsets, chosen by a hash of the offset: the
// held-out half of the words that are not hand-written.
bool in_hashed_held_out_half(std::uint32_t synset);
// Every synset of every word, in any sense.
std::set<std::uint32_t> synsets_of(const WordNet& wn, const std::set<std::string>& words);

// `known` holds the lower-case words real text uses often enough to learn
// (see common_words); a WordNet word outside it that its sense-tagged corpora
// never saw either is left out, since a model could not know what it means.
WordNetSplit wordnet_split(const WordNet& nouns, const WordNet& adjectives, const std::set<std::string>& known);

// Lower-case words that occur at least `min_count` times in `text`.
std::set<std::string> common_words(const std::string& text, int min_count);

// The plural of a WordNet noun: its irregular form if WordNet lists one,
// else the regular English rules (box -> boxes, city -> cities, dog -> dogs).
std::string plural_of(const WordNet& nouns, const std::string& singular);

}  // namespace attnscope::train::corpus
