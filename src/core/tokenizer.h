// One interface for every tokenizer. encode() returns, for each token, its id,
// its vocabulary string, the bytes of the input it covers, and a readable
// display string. Special tokens the tokenizer adds ([CLS], BOS) cover no
// input bytes: start == end.
#pragma once
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace attnscope {

struct Token {
  int id = 0;
  std::string piece;    // the vocabulary string: "Ġcat", "##ing", "▁the", "[CLS]"
  std::string display;  // what a person should see: " cat", "##ing", " the", "[CLS]"
  std::size_t start = 0;  // byte offset into the input text
  std::size_t end = 0;    // one past the last byte; == start for added special tokens
  bool special = false;   // [CLS], [SEP], [MASK], BOS, <|endoftext|> ...
};

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;

  // Any byte string is accepted, including invalid UTF-8: it never throws on
  // text content. Added special tokens follow the model's convention.
  virtual std::vector<Token> encode(std::string_view text) const = 0;

  virtual int vocab_size() const = 0;
  virtual std::string piece(int id) const = 0;        // vocabulary string of an id
  virtual std::string decode_piece(int id) const = 0;  // the raw text bytes an id stands for
  virtual std::string display_piece(int id) const = 0;

  // -1 when the vocabulary has no such token.
  int bos_id = -1;
  int eos_id = -1;
  int mask_id = -1;
  int cls_id = -1;
  int sep_id = -1;
  int unk_id = -1;
  int pad_id = -1;
};

// The readable form of the raw bytes a token stands for (so Ġ / ▁ have already
// become spaces): spaces stay, tab/newline/CR show as "\\t" "\\n" "\\r", other
// control characters as "<0x01>" or "<U+0085>", and bytes that are not valid
// UTF-8 on their own (a byte-level token ending inside a character) as "<0xE2>".
// Kept out of the tokenizers so display choices stay in one place.
std::string display_bytes_as_text(std::string_view raw_bytes);

// GPT-2 byte-level BPE from vocab.json + merges.txt (preferred), or from
// tokenizer.json. Adds no special tokens. "<|endoftext|>" typed in the text
// (and, from tokenizer.json, any added token) is matched literally and becomes
// its single special token; everything else goes through GPT-2's regex + BPE.
// Spans tile the input: a token may cover part of a multi-byte character.
std::unique_ptr<Tokenizer> load_gpt2_bpe(const std::filesystem::path& folder);
// RoBERTa's byte-level BPE (vocab.json + merges.txt in fairseq's layout): adds
// <s> ... </s>; <s>, </s>, <unk>, <pad> and <mask> typed in the text are matched
// literally, and <mask> swallows the whitespace before it.
std::unique_ptr<Tokenizer> load_roberta_bpe(const std::filesystem::path& folder);
// WordPiece from vocab.txt (+ tokenizer_config.json: do_lower_case,
// strip_accents, token names) or tokenizer.json. Adds [CLS] ... [SEP]; the
// special tokens typed in the text ("[MASK]") are matched case-sensitively
// before lowercasing. Spans point at the original bytes even where lowercasing
// or accent stripping changed the length ("É" -> "e").
std::unique_ptr<Tokenizer> load_wordpiece(const std::filesystem::path& folder);
// SentencePiece-style BPE: llama2.c tokenizer.bin (scores) or a Llama tokenizer.json.
std::unique_ptr<Tokenizer> load_llama2c_tokenizer(const std::filesystem::path& tokenizer_bin, bool add_bos);

// From parsed file contents, for tests and fuzzing (no file system).
std::unique_ptr<Tokenizer> make_gpt2_bpe(std::string_view vocab_json, std::string_view merges_txt);
std::unique_ptr<Tokenizer> make_wordpiece(std::string_view vocab_txt, bool lowercase, bool strip_accents);
std::unique_ptr<Tokenizer> make_llama2c_tokenizer(std::string_view tokenizer_bin, int vocab_size, bool add_bos);
// tokenizer.json of any supported kind (BPE with ByteLevel pre-tokenizer, WordPiece, or
// Llama's SentencePiece BPE with byte fallback). `add_bos` matters only for the last;
// the others add what the file's post_processor says. Unsupported pipelines throw.
std::unique_ptr<Tokenizer> make_tokenizer_from_json(std::string_view tokenizer_json, bool add_bos);

}  // namespace attnscope
