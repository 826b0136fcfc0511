#include "train/subject_items.h"

#include <cctype>

namespace attnscope::train::corpus {
namespace {

struct Verb {
  std::string past, singular, plural;  // "sat", "sits", "sit"
  std::string tail;                    // what may follow: " at home", "" ...
};

// Intransitive verbs any person or animal can be the subject of.
const std::vector<Verb>& verbs(bool held_out) {
  static const std::vector<Verb> training = {
      {"sat", "sits", "sit", " down"}, {"slept", "sleeps", "sleep", ""}, {"ran", "runs", "run", " home"},
      {"cried", "cries", "cry", ""}, {"laughed", "laughs", "laugh", ""}, {"jumped", "jumps", "jump", ""},
      {"smiled", "smiles", "smile", ""}, {"waited", "waits", "wait", " outside"}, {"sang", "sings", "sing", ""},
      {"danced", "dances", "dance", ""}, {"fell", "falls", "fall", " asleep"}, {"stopped", "stops", "stop", ""},
      {"walked", "walks", "walk", " away"}, {"played", "plays", "play", ""}, {"rested", "rests", "rest", ""},
      {"shouted", "shouts", "shout", ""}, {"hid", "hides", "hide", ""}, {"swam", "swims", "swim", ""},
      {"left", "leaves", "leave", " early"}, {"stood", "stands", "stand", " still"}, {"arrived", "arrives", "arrive", " late"},
      {"moved", "moves", "move", ""}, {"stayed", "stays", "stay", " inside"}, {"came", "comes", "come", " back"}};
  static const std::vector<Verb> held = {
      {"yawned", "yawns", "yawn", ""}, {"wept", "weeps", "weep", ""}, {"giggled", "giggles", "giggle", ""},
      {"shivered", "shivers", "shiver", ""}, {"knelt", "kneels", "kneel", " down"}, {"napped", "naps", "nap", ""},
      {"wandered", "wanders", "wander", " off"}, {"paused", "pauses", "pause", ""}};
  return held_out ? held : training;
}

const std::vector<std::string> kPrepositions = {"near", "next to", "behind", "beside", "with", "by"};
const std::vector<std::string> kSubjectRelatives = {"who saw", "who liked", "that found", "that followed", "who met"};
const std::vector<std::string> kObjectRelatives = {"chased", "saw", "helped", "found", "liked", "called"};
const std::vector<std::string> kPlaces = {"on", "under", "near", "by", "behind"};

struct Phrase {
  std::string text;  // "the dogs", "Tom"
  Span head;         // the noun inside `text`
  bool plural = false;
};

Phrase phrase(Rng& rng, const Noun& noun, bool allow_plural) {
  Phrase p;
  p.plural = allow_plural && !noun.name && !noun.plural.empty() && rng.chance(0.35);
  const std::string word = p.plural ? noun.plural : noun.singular;
  p.text = noun.name ? word : "the " + word;
  p.head = {p.text.size() - word.size(), p.text.size()};
  return p;
}

// Builds the sentence from parts, recording where each phrase lands.
struct Writer {
  std::string text;
  Span subject, distractor, verb;
  void add(const std::string& s) { text += s; }
  void add(const Phrase& p, Span& where) {
    where = {text.size() + p.head.start, text.size() + p.head.end};
    text += p.text;
  }
  void add_verb(const std::string& v) {
    verb = {text.size(), text.size() + v.size()};
    text += v;
  }
};

}  // namespace

Item make_subject_item(Rng& rng, const Lexicon& lex, bool held_out_verbs) {
  const auto& animate = lex.classes.at("animal+person");
  const Noun& s_noun = rng.pick(animate);
  const Noun* x_noun = &rng.pick(animate);
  for (int tries = 0; x_noun->singular == s_noun.singular && tries < 20; ++tries) x_noun = &rng.pick(animate);
  const int layout = rng.index(7);
  if (layout == 6) x_noun = &rng.pick(lex.classes.at(rng.chance(0.5) ? "surface" : "heavy_object"));  // "sat on the mat"
  const Phrase s = phrase(rng, s_noun, true), x = phrase(rng, *x_noun, true);
  const Verb& verb = rng.pick(verbs(held_out_verbs));
  const bool present = layout != 6 && rng.chance(0.4);  // layout 6 is the seed's "sat on the mat"
  const std::string v = (present ? (s.plural ? verb.plural : verb.singular) : verb.past) + (rng.chance(0.5) ? verb.tail : "");
  Writer w;
  switch (layout) {
    case 0: w.add(s, w.subject), w.add(" " + rng.pick(kPrepositions) + " "), w.add(x, w.distractor), w.add(" "), w.add_verb(v); break;
    case 1: w.add(s, w.subject), w.add(" " + rng.pick(kSubjectRelatives) + " "), w.add(x, w.distractor), w.add(" "), w.add_verb(v); break;
    case 2: w.add(s, w.subject), w.add(" that "), w.add(x, w.distractor), w.add(" " + rng.pick(kObjectRelatives) + " "), w.add_verb(v); break;
    case 3: w.add(rng.pick(kPrepositions) + " "), w.add(x, w.distractor), w.add(", "), w.add(s, w.subject), w.add(" "), w.add_verb(v); break;
    case 4: w.add("when "), w.add(x, w.distractor), w.add(present ? " comes in, " : " came in, "), w.add(s, w.subject), w.add(" "), w.add_verb(v); break;
    case 5: w.add(x, w.distractor), w.add(present ? " says that " : " said that "), w.add(s, w.subject), w.add(" "), w.add_verb(v); break;
    default: w.add(s, w.subject), w.add(" "), w.add_verb(verb.past), w.add(" " + rng.pick(kPlaces) + " "), w.add(x, w.distractor); break;
  }
  w.text += ".";
  w.text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(w.text[0])));
  Item item;
  item.text = w.text;
  item.pronoun = w.verb;
  const bool subject_first = w.subject.start < w.distractor.start;
  item.candidates[0] = subject_first ? w.subject : w.distractor;
  item.candidates[1] = subject_first ? w.distractor : w.subject;
  item.answer = subject_first ? 0 : 1;
  item.schema = "subject";
  item.decided_by = present && s.plural != x.plural ? "agreement" : "structure";
  item.antecedent = w.text.substr(w.subject.start, w.subject.end - w.subject.start);
  item.named_again = item.text;
  return item;
}

}  // namespace attnscope::train::corpus
