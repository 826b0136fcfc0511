// Checks of the hand-written translation lexicon against two independent
// references installed as Debian packages: the FreeDict English-French
// dictionary (dict-freedict-eng-fra) for the translations, and WordNet
// (wordnet-base) for the English nouns and their semantic classes.
#pragma once
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "train/parallel_lexicon.h"
#include "train/wordnet.h"

namespace attnscope::train {

inline const std::filesystem::path kFreeDictIndex = "/usr/share/dictd/freedict-eng-fra.index";
inline const std::filesystem::path kFreeDictData = "/usr/share/dictd/freedict-eng-fra.dict.dz";

// English headword -> its French translations, lowercased, numbering and
// parenthesised notes removed.
std::map<std::string, std::set<std::string>> read_freedict(const std::filesystem::path& index,
                                                           const std::filesystem::path& dict_dz);

// Noun lemma ("ice_cream" for "ice cream") -> the lexicographer files of its
// senses (5 noun.animal, 6 noun.artifact, 13 noun.food, 18 noun.person ...).
std::map<std::string, std::set<int>> read_wordnet_nouns(const std::filesystem::path& wordnet_dir);

struct EvidenceReport {
  int checked = 0;      // entries whose English headword FreeDict has
  int agreeing = 0;     // of those, entries whose French word FreeDict gives
  int nouns = 0;        // nouns looked up in WordNet
  int wordnet_nouns = 0;      // found as nouns
  int class_agreeing = 0;     // found, and a sense lies in the class's lexicographer files
  std::vector<std::string> disagreements;  // "cat: chat not in {...}"
  std::vector<std::string> class_mismatches;
};

EvidenceReport check_lexicon(const ParallelLexicon& lexicon, const std::map<std::string, std::set<std::string>>& freedict,
                             const std::map<std::string, std::set<int>>& wordnet);

}  // namespace attnscope::train
