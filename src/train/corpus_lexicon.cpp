// Word lists: "word" (plural word+s), "word:plural" (irregular), "word!"
// (no plural). Schema lists hold the training wordings first; the held-out
// half lives in the same initialiser so both are read side by side.
#include "train/corpus_lexicon.h"

#include <sstream>

namespace attnscope::train::corpus {
namespace {

std::vector<Noun> nouns(Kind kind, char gender, const std::string& spec, bool name = false) {
  std::vector<Noun> out;
  std::istringstream in(spec);
  std::string item;
  while (in >> item) {
    Noun n;
    n.kind = kind;
    n.gender = gender;
    n.name = name;
    const auto colon = item.find(':');
    if (name || item.back() == '!') {
      n.singular = name ? item : item.substr(0, item.size() - 1);
    } else if (colon != std::string::npos) {
      n.singular = item.substr(0, colon);
      n.plural = item.substr(colon + 1);
    } else {
      n.singular = item;
      n.plural = item + "s";
    }
    out.push_back(n);
  }
  return out;
}

std::vector<Noun> join(std::vector<Noun> a, const std::vector<Noun>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// One schema's two halves: {train, held out} of each list.
struct SchemaSpec {
  std::string name, a_class, b_class;
  std::vector<std::string> frames[2], reasons_a[2], reasons_b[2];
  bool allow_plural = true;
};

const std::vector<SchemaSpec>& schema_specs() {
  static const std::vector<SchemaSpec> specs = {
      {"fit", "small_object", "container",
       {{"{a} didn't fit in {b}", "{a} did not fit into {b}", "{a} would not fit in {b}", "I couldn't put {a} in {b}",
         "we could not get {a} into {b}", "{a} wouldn't go in {b}", "mum could not fit {a} in {b}"},
        {"{a} could not go into {b}", "there was no room for {a} in {b}", "nobody could squeeze {a} into {b}", "{a} never fit inside {b}"}},
       {{"{p} {p.was} too big", "{p} {p.was} too large", "{p} {p.was} so big", "{p} {p.was} too long", "{p} {p.was} too wide", "{p} {p.was} much too tall"},
        {"{p} {p.was} huge", "{p} {p.was} far too big", "{p} {p.was} enormous", "{p} {p.was} too bulky"}},
       {{"{p} {p.was} too small", "{p} {p.was} too little", "{p} {p.was} so small", "{p} {p.was} too narrow", "{p} {p.was} already full", "{p} {p.was} too short"},
        {"{p} {p.was} tiny", "{p} {p.was} far too small", "{p} {p.was} too cramped", "{p} {p.was} packed full"}}},
      {"cross", "animal+person", "barrier",
       {{"{a} didn't cross {b}", "{a} did not go across {b}", "{a} would not cross {b}", "{a} refused to cross {b}",
         "{a} didn't try to get over {b}", "{a} stopped in front of {b}"},
        {"{a} never made it across {b}", "{a} turned back at {b}", "{a} decided not to walk over {b}", "{a} stayed on this side of {b}"}},
       {{"{p} {p.was} too tired", "{p} {p.was} too scared", "{p} {p.was} so tired", "{p} {p.was} too weak", "{p} {p.was} afraid", "{p} {p.was} too slow", "{p} {p.was} very sleepy"},
        {"{p} {p.was} exhausted", "{p} {p.was} worn out", "{p} {p.was} frightened", "{p} {p.was} too nervous"}},
       {{"{p} {p.was} too wide", "{p} {p.was} too busy", "{p} {p.was} too deep", "{p} {p.was} so wide", "{p} {p.was} too dangerous", "{p} {p.was} too long", "{p} {p.was} flooded"},
        {"{p} {p.was} very broad", "{p} {p.was} too crowded", "{p} {p.was} icy", "{p} {p.was} far too wide"}}},
      {"lift", "animal+person", "heavy_object",
       {{"{a} couldn't lift {b}", "{a} could not carry {b}", "{a} {a.was} unable to move {b}", "{a} tried to pick up {b} but failed", "{a} couldn't push {b}"},
        {"{a} failed to raise {b}", "{a} could not drag {b}", "{a} gave up on moving {b}"}},
       {{"{p} {p.was} too weak", "{p} {p.was} too small", "{p} {p.was} so tired", "{p} {p.was} too young", "{p} {p.was} not strong enough"},
        {"{p} {p.was} feeble", "{p} {p.was} too little", "{p} {p.was} weak and tired"}},
       {{"{p} {p.was} too heavy", "{p} {p.was} so heavy", "{p} {p.was} too big", "{p} {p.was} very heavy", "{p} {p.was} full of stones"},
        {"{p} weighed too much", "{p} {p.was} extremely heavy", "{p} {p.was} massive"}}},
      {"catch", "predator", "prey",
       {{"{a} couldn't catch {b}", "{a} did not catch {b}", "{a} chased {b} but missed", "{a} ran after {b} for nothing"},
        {"{a} failed to grab {b}", "{a} hunted {b} without success"}},
       {{"{p} {p.was} too slow", "{p} {p.was} too tired", "{p} {p.was} too old", "{p} {p.was} lazy", "{p} {p.was} too fat"},
        {"{p} {p.was} sluggish", "{p} moved too slowly", "{p} {p.was} clumsy"}},
       {{"{p} {p.was} too fast", "{p} {p.was} so quick", "{p} {p.was} very fast", "{p} ran too quickly", "{p} hid in a hole"},
        {"{p} {p.was} speedy", "{p} {p.was} much quicker", "{p} escaped into the bushes"}}},
      {"eat", "animal+person", "food",
       {{"{a} didn't eat {b}", "{a} did not finish {b}", "{a} would not touch {b}", "{a} left {b} on the plate"},
        {"{a} refused {b}", "{a} pushed away {b}"}},
       {{"{p} {p.was} full", "{p} {p.was} not hungry", "{p} {p.was} sick", "{p} {p.was} too full", "{p} had just eaten"},
        {"{p} {p.was} stuffed", "{p} {p.was} feeling ill"}},
       {{"{p} {p.was} rotten", "{p} {p.was} too cold", "{p} {p.was} burnt", "{p} {p.was} too old", "{p} tasted bad", "{p} {p.was} too hot"},
        {"{p} {p.was} mouldy", "{p} smelled awful", "{p} {p.was} stale"}}},
      {"break", "fragile", "surface",
       {{"{a} shattered on {b}", "{a} cracked when {a.subj} landed on {b}", "{a} broke on {b}", "{a} fell on {b} and broke"},
        {"{a} smashed against {b}", "{a} fell and broke on {b}"}},
       {{"{p} {p.was} so fragile", "{p} {p.was} made of thin glass", "{p} {p.was} very delicate", "{p} {p.was} old and weak"},
        {"{p} {p.was} brittle", "{p} {p.was} thin and weak"}},
       {{"{p} {p.was} so hard", "{p} {p.was} made of stone", "{p} {p.was} very hard", "{p} {p.was} hard as iron"},
        {"{p} {p.was} solid rock", "{p} {p.was} rock hard"}}},
      {"see", "person", "far_thing",
       {{"{a} couldn't see {b}", "{a} did not notice {b}", "{a} could not spot {b}", "{a} looked for {b} but did not find {b.obj}"},
        {"{a} never saw {b}", "{a} missed {b}"}},
       {{"{p} {p.was} too short", "{p} had lost {p.poss} glasses", "{p} {p.was} looking the other way", "{p} {p.was} half asleep"},
        {"{p} {p.was} not wearing {p.poss} glasses", "{p} {p.was} distracted"}},
       {{"{p} {p.was} too far away", "{p} {p.was} too small", "{p} {p.was} behind the trees", "{p} {p.was} hidden in the fog"},
        {"{p} {p.was} very distant", "{p} {p.was} covered by clouds"}}},
      {"afraid", "animal+person", "big_animal",
       {{"{a} {a.was} afraid of {b}", "{a} ran away from {b}", "{a} hid from {b}", "{a} {a.was} scared of {b}"},
        {"{a} kept away from {b}", "{a} trembled in front of {b}"}},
       {{"{p} {p.was} very small", "{p} {p.was} only a baby", "{p} {p.was} shy", "{p} {p.was} young"},
        {"{p} {p.was} tiny", "{p} {p.was} timid"}},
       {{"{p} {p.was} huge", "{p} {p.was} so big", "{p} {p.was} angry", "{p} had sharp teeth", "{p} {p.was} very loud"},
        {"{p} {p.was} gigantic", "{p} growled loudly"}}},
      {"give", "person", "person",
       {{"{a} gave {b} some food", "{a} shared {a.poss} lunch with {b}", "{a} brought {b} a bowl of soup", "{a} bought {b} an apple"},
        {"{a} handed {b} a sandwich", "{a} offered {b} some bread"}},
       {{"{p} {p.was} kind", "{p} had too much", "{p} {p.was} generous", "{p} {p.was} not hungry"},
        {"{p} {p.was} a generous person", "{p} had plenty"}},
       {{"{p} {p.was} hungry", "{p} had nothing to eat", "{p} {p.was} starving", "{p} had forgotten {p.poss} lunch"},
        {"{p} {p.was} famished", "{p} had not eaten all day"}}},
      {"ask", "person", "person",
       {{"{a} asked {b} for help", "{a} went to {b} with a question", "{a} called {b} for advice", "{a} asked {b} what to do"},
        {"{a} went to {b} for advice", "{a} phoned {b}"}},
       {{"{p} {p.was} confused", "{p} did not understand the problem", "{p} {p.was} lost", "{p} {p.was} new in town"},
        {"{p} {p.was} puzzled", "{p} {p.was} stuck"}},
       {{"{p} knew the answer", "{p} {p.was} an expert", "{p} {p.was} very clever", "{p} had done it before"},
        {"{p} {p.was} wise", "{p} always knew what to do"}}},
      {"beat", "person", "person",
       {{"{a} beat {b} at chess", "{a} won the race against {b}", "{a} defeated {b}", "{a} {a.was} faster than {b} in the game"},
        {"{a} got the better of {b}", "{a} outran {b}"}},
       {{"{p} {p.was} better", "{p} had practised a lot", "{p} {p.was} very fast", "{p} {p.was} clever"},
        {"{p} had trained hard", "{p} {p.was} stronger"}},
       {{"{p} {p.was} tired", "{p} {p.was} not paying attention", "{p} {p.was} sick that day", "{p} made a mistake"},
        {"{p} {p.was} exhausted", "{p} slipped"}}},
      {"thank", "person", "person",
       {{"{a} thanked {b}", "{a} smiled at {b}", "{a} hugged {b}", "{a} wrote a letter to {b}"},
        {"{a} sent a card to {b}", "{a} waved at {b}"}},
       {{"{p} {p.was} grateful", "{p} {p.was} happy", "{p} {p.was} glad", "{p} felt thankful"},
        {"{p} {p.was} thankful", "{p} {p.was} in a good mood"}},
       {{"{p} had helped {o.obj}", "{p} had been kind to {o.obj}", "{p} had found {o.poss} dog", "{p} had fixed {o.poss} bike"},
        {"{p} had saved {o.poss} cat", "{p} had carried {o.poss} bags"}}},
  };
  return specs;
}

// Intransitive verbs any person or animal can be the subject of.
std::vector<Verb> subject_verbs(bool probe) {
  if (probe)
    return {{"yawned", "yawns", "yawn", ""}, {"wept", "weeps", "weep", ""}, {"giggled", "giggles", "giggle", ""},
            {"shivered", "shivers", "shiver", ""}, {"knelt", "kneels", "kneel", " down"}, {"napped", "naps", "nap", ""},
            {"wandered", "wanders", "wander", " off"}, {"paused", "pauses", "pause", ""}};
  return {{"sat", "sits", "sit", " down"}, {"slept", "sleeps", "sleep", ""}, {"ran", "runs", "run", " home"},
          {"cried", "cries", "cry", ""}, {"laughed", "laughs", "laugh", ""}, {"jumped", "jumps", "jump", ""},
          {"smiled", "smiles", "smile", ""}, {"waited", "waits", "wait", " outside"}, {"sang", "sings", "sing", ""},
          {"danced", "dances", "dance", ""}, {"fell", "falls", "fall", " asleep"}, {"stopped", "stops", "stop", ""},
          {"walked", "walks", "walk", " away"}, {"played", "plays", "play", ""}, {"rested", "rests", "rest", ""},
          {"shouted", "shouts", "shout", ""}, {"hid", "hides", "hide", ""}, {"swam", "swims", "swim", ""},
          {"left", "leaves", "leave", " early"}, {"stood", "stands", "stand", " still"}, {"arrived", "arrives", "arrive", " late"},
          {"moved", "moves", "move", ""}, {"stayed", "stays", "stay", " inside"}, {"came", "comes", "come", " back"}};
}

Lexicon build(int half) {
  Lexicon lex;
  const bool probe = half == 1;
  const auto pick = [&](const char* train, const char* held_out) { return std::string(probe ? held_out : train); };
  const auto male = nouns(Kind::Person, 'm', pick("man:men boy king father brother uncle prince son husband grandfather fisherman:fishermen",
                                                  "nephew duke grandpa gentleman:gentlemen monk schoolboy"));
  const auto female = nouns(Kind::Person, 'f', pick("woman:women girl queen mother sister aunt princess daughter wife:wives grandmother lady:ladies",
                                                    "niece duchess grandma nun schoolgirl bride"));
  const auto roles = nouns(Kind::Person, '?', pick("teacher student doctor farmer friend neighbour cook driver child:children baker pilot",
                                                   "nurse dentist lawyer painter tourist singer"));
  const auto male_names = nouns(Kind::Person, 'm', pick("Tom Jack Sam Ben Max Leo Tim Joe Dan Paul Peter Mark Jim Bob Carl Luke Adam Noah Henry",
                                                        "Oscar Felix Hugo Victor Ethan Simon"), true);
  const auto female_names = nouns(Kind::Person, 'f', pick("Lily Mia Anna Emma Sara Lucy Kate Amy Jane Mary Ella Rose Grace Alice Eva Zoe Ruth Nora",
                                                          "Clara Ivy Hannah Julia Olivia Sophie"), true);
  lex.classes["person"] = join(join(join(join(male, female), roles), male_names), female_names);
  lex.classes["animal"] = nouns(Kind::Animal, 'n', pick("dog cat horse cow fox rabbit bird duck sheep:sheep pig goat mouse:mice bear wolf:wolves frog turtle owl monkey chicken animal puppy:puppies kitten",
                                                        "donkey otter hedgehog raccoon camel goose:geese badger zebra"));
  lex.classes["animal+person"] = join(lex.classes["animal"], lex.classes["person"]);
  lex.classes["small_object"] = nouns(Kind::Thing, 'n', pick("trophy:trophies ball book toy cake shoe lamp pillow doll blanket bottle helmet laptop painting",
                                                             "statue violin umbrella drum kettle telescope"));
  lex.classes["container"] = nouns(Kind::Thing, 'n', pick("suitcase bag box:boxes drawer basket backpack car jar cupboard pocket trunk bucket",
                                                          "case crate closet sack cabinet chest:chests"));
  lex.classes["barrier"] = nouns(Kind::Thing, 'n', pick("street road river bridge stream highway field",
                                                        "canal railway creek valley avenue"));
  lex.classes["heavy_object"] = nouns(Kind::Thing, 'n', pick("rock table log sofa piano stone barrel bed fridge",
                                                             "boulder wardrobe anvil bench"));
  lex.classes["food"] = nouns(Kind::Thing, 'n', pick("apple sandwich:sandwiches soup bread! cheese! carrot fish:fish pie banana cookie",
                                                     "pear pizza muffin porridge! biscuit"));
  lex.classes["fragile"] = nouns(Kind::Thing, 'n', pick("vase glass:glasses cup plate mirror bowl egg jar",
                                                        "teapot lightbulb ornament mug saucer"));
  lex.classes["surface"] = nouns(Kind::Thing, 'n', pick("floor rock table step ground pavement",
                                                        "tiles! concrete! sidewalk brick"));
  lex.classes["predator"] = nouns(Kind::Animal, 'n', pick("dog cat fox:foxes wolf:wolves owl hawk lion bear snake",
                                                          "eagle coyote leopard falcon"));
  lex.classes["prey"] = nouns(Kind::Animal, 'n', pick("rabbit mouse:mice bird squirrel fish:fish frog chicken duck lizard",
                                                      "hare rat sparrow chipmunk pigeon"));
  lex.classes["far_thing"] = nouns(Kind::Thing, 'n', pick("ship plane bird sign star boat house balloon",
                                                          "lighthouse tower kite"));
  lex.classes["big_animal"] = nouns(Kind::Animal, 'n', pick("bear lion elephant bull horse wolf:wolves dog tiger",
                                                            "rhino gorilla crocodile buffalo moose:moose"));
  for (const SchemaSpec& spec : schema_specs())
    lex.schemas.push_back({spec.name, spec.a_class, spec.b_class, spec.frames[half], spec.reasons_a[half], spec.reasons_b[half], spec.allow_plural});
  lex.connectives = probe ? std::vector<std::string>{"because", "since", "as"}
                          : std::vector<std::string>{"because", "because", "since", "as"};
  lex.openers = probe ? std::vector<std::string>{"Last week,", "That evening,", "Early on Sunday,", "After lunch,"}
                      : std::vector<std::string>{"Yesterday,", "One morning,", "In the story,", "Later that day,", "Once,", "On Monday,", "At the end of summer,", "Then"};
  lex.relative_clauses[Kind::Person] = probe ? std::vector<std::string>{"who lived across the road", "who wore a green hat"}
                                             : std::vector<std::string>{"who lived next door", "from the village", "who had a red coat", "that we met at the market", "with the long scarf"};
  lex.relative_clauses[Kind::Animal] = probe ? std::vector<std::string>{"that lived by the pond", "with the white tail"}
                                             : std::vector<std::string>{"that lived on the farm", "from the forest", "with the brown spots", "that my uncle found", "in the old barn"};
  lex.relative_clauses[Kind::Thing] = probe ? std::vector<std::string>{"that stood in the hall", "that came from the city"}
                                            : std::vector<std::string>{"that was in the garage", "from the shop", "that grandma gave us", "near the door", "that we bought last year"};
  lex.places = probe ? std::vector<std::string>{"harbour", "museum", "orchard"}
                     : std::vector<std::string>{"park", "beach", "forest", "school", "market", "farm", "garden", "zoo", "library", "river"};
  lex.subject_verbs = subject_verbs(probe);
  return lex;
}

}  // namespace

const Lexicon& lexicon(bool held_out) {
  static const Lexicon train = build(0), probe = build(1);
  return held_out ? probe : train;
}

}  // namespace attnscope::train::corpus
