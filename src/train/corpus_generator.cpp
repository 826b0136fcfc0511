#include "train/corpus_generator.h"

#include <cctype>
#include <utility>
#include <map>

#include "core/error.h"
#include "train/retold_stories.h"
#include "train/subject_items.h"

namespace attnscope::train::corpus {
namespace {

// A realised noun phrase and the grammatical features its pronouns follow.
struct Entity {
  std::string full;     // first mention: "the old dog that lived on the farm"
  std::string short_np; // later mention: "the dog", "Tom"
  std::size_t head_offset = 0, head_length = 0;  // the noun inside `full`
  bool plural = false;
  char gender = 'n';
  Kind kind = Kind::Thing;
};

std::string subj(const Entity& e) { return e.plural ? "they" : e.gender == 'm' ? "he" : e.gender == 'f' ? "she" : "it"; }
std::string obj(const Entity& e) { return e.plural ? "them" : e.gender == 'm' ? "him" : e.gender == 'f' ? "her" : "it"; }
std::string poss(const Entity& e) { return e.plural ? "their" : e.gender == 'm' ? "his" : e.gender == 'f' ? "her" : "its"; }
std::string was(const Entity& e) { return e.plural ? "were" : "was"; }

Entity make_entity(Rng& rng, const Lexicon& lex, const Noun& noun, bool allow_plural, bool definite = true) {
  Entity e;
  e.kind = noun.kind;
  e.gender = noun.gender == '?' ? (rng.chance(0.5) ? 'm' : 'f') : noun.gender;
  e.plural = allow_plural && !noun.name && !noun.plural.empty() && rng.chance(0.25);
  const std::string head = e.plural ? noun.plural : noun.singular;
  if (noun.name) {
    e.full = e.short_np = head;
    e.head_length = head.size();
    return e;
  }
  const double r = rng.uniform();
  const std::string det = !definite ? (e.plural || noun.plural.empty() ? "some" : std::string("aeiou").find(head[0]) != std::string::npos ? "an" : "a")
                          : r < 0.8 ? "the" : r < 0.9 ? "my" : "our";
  e.short_np = det + " " + head;
  e.full = e.short_np;
  e.head_offset = det.size() + 1;
  e.head_length = head.size();
  if (rng.chance(0.2)) e.full += " " + rng.pick(lex.relative_clauses.at(noun.kind));
  if (definite) e.short_np = "the " + head;  // named again: "the dog", never "my dog that ..."
  return e;
}

const Noun& pick_noun(Rng& rng, const Lexicon& lex, const std::string& cls, const std::string& avoid) {
  const auto& list = lex.classes.at(cls);
  for (int tries = 0; tries < 20; ++tries) {
    const Noun& n = rng.pick(list);
    if (n.singular != avoid) return n;
  }
  throw Error("corpus: class '" + cls + "' has no noun other than '" + avoid + "'");
}

// Expands {x} / {x.field} slots. Letters name entities; 'p' and 'o' are the
// referent and the other candidate. Records the first {a}, {b} and {p}.
struct Expander {
  std::map<char, const Entity*> entities;
  const Entity* referent = nullptr;
  const Entity* other = nullptr;
  bool name_referent = false;  // {p} becomes the referent's short noun phrase
  std::map<char, Span> first;  // slot letter -> span in the output

  void expand(const std::string& tpl, std::string& out) {
    for (std::size_t i = 0; i < tpl.size(); ++i) {
      if (tpl[i] != '{') {
        out += tpl[i];
        continue;
      }
      const std::size_t close = tpl.find('}', i);
      if (close == std::string::npos || close == i + 1) throw Error("corpus: unclosed or empty slot in '" + tpl + "'");
      const std::string slot = tpl.substr(i + 1, close - i - 1);
      i = close;
      const char letter = slot[0];
      const std::string field = slot.size() > 2 ? slot.substr(2) : "";
      const Entity* e = letter == 'p' ? referent : letter == 'o' ? other : entities.at(letter);
      const std::size_t at = out.size();
      std::string text;
      if (field.empty() && (letter == 'p' || letter == 'o')) {
        text = letter == 'p' && name_referent ? e->short_np : subj(*e);
      } else if (field.empty()) {
        text = e->full;
      } else if (field == "subj") {
        text = subj(*e);
      } else if (field == "obj") {
        text = obj(*e);
      } else if (field == "poss") {
        text = poss(*e);
      } else if (field == "was") {
        text = was(*e);
      } else if (field == "name") {
        text = e->short_np;
      } else {
        throw Error("corpus: unknown slot {" + slot + "} in '" + tpl + "'");
      }
      out += text;
      if (field.empty() && !first.count(letter)) {
        Span s{at, at + text.size()};
        if (letter != 'p' && letter != 'o') s = {at + e->head_offset, at + e->head_offset + e->head_length};
        if (letter == 'p' && name_referent) s = {at + text.size() - e->head_length, at + text.size()};
        first[letter] = s;
      }
    }
  }
};

void capitalise_at(std::string& s, std::size_t pos) {
  if (pos < s.size()) s[pos] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[pos])));
}

std::string decided_by(const Entity& a, const Entity& b) {
  if (subj(a) == subj(b)) return "meaning";
  if (a.plural != b.plural) return "number";
  if ((a.kind == Kind::Person) != (b.kind == Kind::Person)) return "animacy";
  return "gender";
}

// Builds the item's text with the pronoun (or, with `named`, the referent's name).
std::string realise(Rng rng, const Lexicon& lex, const std::string& frame, const std::string& reason, Expander& ex, bool named) {
  ex.name_referent = named;
  ex.first.clear();
  const int layout = rng.index(20);
  std::string text, opener = rng.chance(0.25) ? rng.pick(lex.openers) + " " : "";
  const std::string conn = rng.pick(lex.connectives);
  if (layout < 3) {
    // Cataphora: "Because it was too tired, the animal didn't cross the street."
    text = conn + " ";
    ex.expand(reason, text);
    text += ", ";
    ex.expand(frame, text);
    text += ".";
  } else if (layout < 7) {
    // Two sentences: "The trophy didn't fit in the suitcase. It was too big."
    text = opener;
    ex.expand(frame, text);
    text += ". ";
    const std::size_t second = text.size();
    if (rng.chance(0.3)) text += "The reason was that ";
    ex.expand(reason, text);
    text += ".";
    capitalise_at(text, second);
  } else {
    text = opener;
    ex.expand(frame, text);
    text += " " + conn + " ";
    ex.expand(reason, text);
    text += ".";
  }
  capitalise_at(text, 0);
  return text;
}

}  // namespace

Coreference link_at(const Item& item, std::size_t offset) {
  return {{offset + item.pronoun.start, offset + item.pronoun.end}, item.antecedent};
}

Item make_item(Rng& rng, bool held_out) { return make_item(rng, lexicon(held_out)); }

Item make_item(Rng& rng, const Lexicon& lex) {
  const Schema& schema = rng.pick(lex.schemas);
  const Noun& na = pick_noun(rng, lex, schema.a_class, "");
  const Noun& nb = pick_noun(rng, lex, schema.b_class, na.singular);
  const Entity a = make_entity(rng, lex, na, schema.allow_plural);
  const Entity b = make_entity(rng, lex, nb, schema.allow_plural);
  Item item;
  item.answer = rng.index(2);
  Expander ex;
  ex.entities = {{'a', &a}, {'b', &b}};
  ex.referent = item.answer == 0 ? &a : &b;
  ex.other = item.answer == 0 ? &b : &a;
  const std::string& frame = rng.pick(schema.frames);
  const std::string& reason = rng.pick(item.answer == 0 ? schema.reasons_a : schema.reasons_b);
  const Rng layout_rng(rng.next());  // both versions share their layout
  item.named_again = realise(layout_rng, lex, frame, reason, ex, true);
  item.text = realise(layout_rng, lex, frame, reason, ex, false);
  item.pronoun = ex.first.at('p');
  item.candidates[0] = ex.first.at('a');
  item.candidates[1] = ex.first.at('b');
  const Entity& referent = item.answer == 0 ? a : b;
  item.antecedent = referent.full.substr(referent.head_offset, referent.head_length);
  item.schema = schema.name;
  item.decided_by = decided_by(a, b);
  return item;
}

Document make_story(Rng& rng, const Lexicon& lex) {
  const auto& people = lex.classes.at("person");
  const Noun& nx = rng.pick(people);
  const Noun& ny = pick_noun(rng, lex, "person", nx.singular);
  const Entity x = make_entity(rng, lex, nx, false), y = make_entity(rng, lex, ny, false);
  const char* object_classes[] = {"small_object", "food", "fragile", "animal"};
  const Noun& nz = rng.pick(lex.classes.at(object_classes[rng.index(4)]));
  const Entity z = make_entity(rng, lex, nz, true, false);
  const bool clear = subj(x) != subj(y);  // pronouns pick out x or y only when they differ
  // Fields: s/o/p are subject/object/possessive references, a pronoun when clear.
  const auto ref = [&](const Entity& e, char field) {
    if (!clear) return field == 'p' ? e.short_np + "'s" : e.short_np;
    return field == 's' ? subj(e) : field == 'o' ? obj(e) : poss(e);
  };
  const std::string place = rng.pick(lex.places);
  std::vector<std::string> lines;
  const std::string intros[] = {x.full + " and " + y.full + " went to the " + place + ".",
                                "One day, " + x.full + " met " + y.full + " at the " + place + ".",
                                x.full + " lived near the " + place + " with " + y.full + "."};
  lines.push_back(intros[rng.index(3)]);
  const std::string zs = subj(z), zo = obj(z), zw = was(z);
  const std::string found[] = {ref(x, 's') + " found " + z.full + ".", x.short_np + " had " + z.full + ".",
                               "There " + zw + " " + z.full + " on the ground, and " + ref(x, 's') + " picked " + zo + " up."};
  lines.push_back(found[rng.index(3)]);
  const std::string events[] = {
      ref(x, 's') + " showed " + zo + " to " + ref(y, 'o') + ".",
      ref(y, 's') + " said that " + zs + " " + zw + " very nice.",
      ref(x, 's') + " gave " + zo + " to " + ref(y, 'o') + ", and " + ref(y, 's') + " smiled.",
      ref(y, 's') + " asked " + ref(x, 'o') + " where " + zs + " came from.",
      ref(x, 's') + " put " + zo + " in " + ref(x, 'p') + " bag.",
      ref(y, 's') + " wanted to keep " + zo + ", but " + ref(x, 's') + " said no.",
      ref(x, 's') + " was happy because " + ref(y, 's') + " liked " + zo + ".",
      "Then " + ref(y, 's') + " told " + ref(x, 'o') + " a funny story about " + zo + ".",
  };
  // A few different events in random order.
  int order[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  for (int i = 7; i > 0; --i) std::swap(order[i], order[rng.index(static_cast<size_t>(i + 1))]);
  const int n_events = 2 + rng.index(3);
  for (int i = 0; i < n_events; ++i) lines.push_back(events[order[i]]);
  // One pronoun item about other people or things.
  Item item = make_item(rng, lex);
  const bool named = rng.chance(0.5);
  const std::size_t item_line = lines.size();
  lines.push_back(named ? item.named_again : item.text);
  const std::string endings[] = {"At the end of the day, they went home.", "It was a good day.",
                                 ref(x, 's') + " and " + ref(y, 's') + " were friends after that.",
                                 "They played together until dinner."};
  lines.push_back(endings[rng.index(4)]);
  Document story;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    capitalise_at(lines[i], 0);
    if (!story.text.empty()) story.text += " ";
    if (i == item_line && !named) story.links.push_back(link_at(item, story.text.size()));
    story.text += lines[i];
  }
  return story;
}

namespace {

// A few items; about half are followed by their named-again version, and a
// quarter appear only named again.
Document pronoun_items(Rng& rng, const Lexicon& lex) {
  Document doc;
  const int count = 2 + rng.index(4);
  for (int i = 0; i < count; ++i) {
    const Item item = make_item(rng, lex);
    const double r = rng.uniform();
    if (!doc.text.empty()) doc.text += " ";
    if (r >= 0.25) doc.links.push_back(link_at(item, doc.text.size()));
    doc.text += r < 0.25 ? item.named_again : r < 0.75 ? item.text + " " + item.named_again : item.text;
  }
  return doc;
}

// A few verb -> subject sentences, each verb linked to its subject.
Document subject_items(Rng& rng, const Lexicon& lex) {
  Document doc;
  const int count = 3 + rng.index(4);
  for (int i = 0; i < count; ++i) {
    const Item item = make_subject_item(rng, lex);
    if (!doc.text.empty()) doc.text += " ";
    doc.links.push_back(link_at(item, doc.text.size()));
    doc.text += item.text;
  }
  return doc;
}

// A story (retold, if the options ask) or, unless only stories are asked
// for, with chance 0.7 a group of items.
Document story_or_items(Rng& rng, const Lexicon& lex, const GeneratorOptions& options) {
  if (!options.stories_only && !rng.chance(0.3)) return pronoun_items(rng, lex);
  return options.retell ? retold_story(rng, lex, *options.retell) : make_story(rng, lex);
}

}  // namespace

std::vector<Document> generate_documents(std::uint64_t seed, std::size_t target_chars, const GeneratorOptions& options) {
  const Lexicon& lex = options.lexicon ? *options.lexicon : lexicon(false);
  std::vector<Document> docs;
  std::size_t total = 0;
  for (std::uint64_t n = 0; total < target_chars; ++n) {
    Rng rng(seed, n);
    // The subject draw comes only when subjects are asked for, so that
    // corpora without them stay the same byte for byte.
    Document doc = options.subject_share > 0 && rng.chance(options.subject_share) ? subject_items(rng, lex)
                                                                                   : story_or_items(rng, lex, options);
    total += doc.text.size() + 1;
    docs.push_back(std::move(doc));
  }
  return docs;
}

std::vector<Span> probe_words(const std::string& text) {
  std::vector<Span> words;
  const auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '\''; };
  for (std::size_t i = 0; i < text.size();) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    if (is_word(text[i]))
      while (j < text.size() && is_word(text[j])) ++j;
    words.push_back({i, j});
    i = j;
  }
  return words;
}

}  // namespace attnscope::train::corpus
