// Safetensors reading and writing: round trips, a real checkpoint, sharded
// folders, and hand-built broken files that must fail with a useful message.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/safetensors.h"
#include "core/safetensors_writer.h"
#include "test_support.h"

namespace attnscope {
namespace {

namespace fs = std::filesystem;
using testing::fixture;
using testing::temp_dir;
using testing::write_file;

// The 8-byte little-endian length, the header text exactly as given (no
// padding, so tests control alignment), then `data_bytes` bytes of data.
std::vector<std::uint8_t> handmade(const std::string& header, std::size_t data_bytes) {
  std::vector<std::uint8_t> bytes;
  bytes.reserve(8 + header.size() + data_bytes);
  const std::uint64_t length = header.size();
  for (int i = 0; i < 8; i++) bytes.push_back(static_cast<std::uint8_t>(length >> (8 * i)));
  for (char c : header) bytes.push_back(static_cast<std::uint8_t>(c));
  for (std::size_t i = 0; i < data_bytes; i++) bytes.push_back(static_cast<std::uint8_t>(i));
  return bytes;
}

std::string as_string(const std::vector<std::uint8_t>& bytes) { return std::string(bytes.begin(), bytes.end()); }

std::string parse_error(const std::vector<std::uint8_t>& bytes) {
  try {
    SafetensorsHeader::parse(bytes, "broken.safetensors");
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

void expect_contains(const std::string& message, std::initializer_list<const char*> words) {
  for (const char* word : words) EXPECT_NE(message.find(word), std::string::npos) << "'" << word << "' not in: " << message;
}

template <typename Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

std::vector<float> values(const FloatTensor& t) { return std::vector<float>(t.data, t.data + t.numel()); }

// ---------------------------------------------------------------------------
// Round trips through the writer and the reader

TEST(Safetensors, RoundTripF32KeepsValuesAndMapsInPlace) {
  const testing::ScopedTempDir dir("st-f32");
  std::vector<NamedTensor> tensors = {
      {"b.weight", {2, 3}, {1.5f, -2.0f, 3.25f, 0.0f, -0.0f, 1e-40f}},
      {"a.bias", {3}, {7.0f, 8.0f, 9.0f}},
      {"scalar", {}, {42.0f}},
      {"empty", {0, 5}, {}},
  };
  write_safetensors(dir / "model.safetensors", tensors, {{"format", "pt"}, {"note", "round trip"}});

  TensorStore store = TensorStore::open_folder(dir);
  EXPECT_EQ(store.names(), (std::vector<std::string>{"a.bias", "b.weight", "empty", "scalar"}));
  auto file = SafetensorsFile::open(dir / "model.safetensors");
  EXPECT_EQ(file->header().metadata().at("note"), "round trip");
  EXPECT_EQ(file->header().data_start() % 8, 0u);
  // Name order, no gaps, the data section ends at the end of the file.
  std::uint64_t expected_begin = 0;
  for (const TensorInfo& info : file->header().tensors()) {
    EXPECT_EQ(info.begin, expected_begin) << info.name;
    expected_begin = info.end;
  }
  EXPECT_EQ(file->header().data_start() + expected_begin, fs::file_size(dir / "model.safetensors"));

  FloatTensor b = store.load("b.weight", {2, 3});
  EXPECT_EQ(values(b), tensors[0].data);
  EXPECT_TRUE(std::signbit(b.data[4]));
  EXPECT_EQ(values(store.load("a.bias", {3})), tensors[1].data);
  EXPECT_EQ(values(store.load("scalar", {})), std::vector<float>{42.0f});
  EXPECT_EQ(store.load("empty", {0, 5}).numel(), 0);
}

TEST(Safetensors, AlignedF32IsAViewOwnedByTheFile) {
  const testing::ScopedTempDir dir("st-view");
  write_safetensors(dir / "model.safetensors", {{"w", {4}, {1, 2, 3, 4}}});
  auto file = SafetensorsFile::open(dir / "model.safetensors");
  TensorStore store = TensorStore::from_file(file);
  FloatTensor w = store.load("w", {4});
  EXPECT_EQ(w.owner.get(), static_cast<const void*>(file.get()));
  EXPECT_EQ(static_cast<const void*>(w.data), static_cast<const void*>(file->tensor_bytes(*file->header().find("w")).data()));
}

TEST(Safetensors, RoundTripF16) {
  const float inf = std::numeric_limits<float>::infinity();
  // Exactly representable: normal, largest, smallest normal, subnormals, zeros, infinities.
  std::vector<float> exact = {0.0f, -0.0f, 1.0f, -2.5f, 65504.0f, std::ldexp(1.0f, -14), std::ldexp(1.0f, -24),
                              std::ldexp(3.0f, -24), std::ldexp(1023.0f, -24), 0.333251953125f, inf, -inf};
  std::vector<float> rounded = {0.1f, -3.14159265f, 1000.7f, 1e-6f};
  std::vector<float> with_nan = {std::nanf("")};
  const testing::ScopedTempDir dir("st-f16");
  write_safetensors(dir / "model.safetensors", {{"exact", {3, 4}, exact, DType::F16},
                                                {"rounded", {4}, rounded, DType::F16},
                                                {"nan", {1}, with_nan, DType::F16}});
  TensorStore store = TensorStore::open_folder(dir);
  EXPECT_EQ(store.find("exact")->dtype, DType::F16);
  EXPECT_EQ(store.find("exact")->end - store.find("exact")->begin, 24u);
  FloatTensor loaded = store.load("exact", {3, 4});
  EXPECT_EQ(values(loaded), exact);
  EXPECT_TRUE(std::signbit(loaded.data[1]));
  FloatTensor near = store.load("rounded", {4});
  for (std::size_t i = 0; i < rounded.size(); i++) {
    // Half an ulp: 2^-11 relative for normals, 2^-25 absolute for subnormals.
    float tolerance = std::max(std::fabs(rounded[i]) * std::ldexp(1.0f, -11), std::ldexp(1.0f, -25));
    EXPECT_NEAR(near.data[i], rounded[i], tolerance) << i;
  }
  EXPECT_TRUE(std::isnan(store.load("nan", {1}).data[0]));
}

TEST(Safetensors, RoundTripBF16) {
  std::vector<float> exact = {1.0f, -2.0f, 0.15625f, 3.0f * std::ldexp(1.0f, 100), -0.0f,
                              std::numeric_limits<float>::infinity()};
  std::vector<float> rounded = {0.1f, -3.14159265f, 12345.678f, 1e-30f};
  const testing::ScopedTempDir dir("st-bf16");
  write_safetensors(dir / "model.safetensors",
                    {{"exact", {6}, exact, DType::BF16}, {"rounded", {2, 2}, rounded, DType::BF16}});
  TensorStore store = TensorStore::open_folder(dir);
  EXPECT_EQ(store.find("rounded")->dtype, DType::BF16);
  EXPECT_EQ(values(store.load("exact", {6})), exact);
  FloatTensor near = store.load("rounded", {2, 2});
  for (std::size_t i = 0; i < rounded.size(); i++)
    EXPECT_NEAR(near.data[i], rounded[i], std::fabs(rounded[i]) * std::ldexp(1.0f, -8)) << i;
}

TEST(Safetensors, MisalignedF32IsCopied) {
  // A 1-byte U8 tensor first pushes the F32 tensor to an odd address.
  std::string header =
      R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"b":{"dtype":"F32","shape":[2],"data_offsets":[1,9]}})";
  header.append((8 - header.size() % 8) % 8, ' ');
  std::vector<std::uint8_t> bytes = handmade(header, 0);
  bytes.push_back(0xAB);
  float expected[2] = {1.25f, -6.5f};
  const auto* raw = reinterpret_cast<const std::uint8_t*>(expected);
  bytes.insert(bytes.end(), raw, raw + sizeof expected);
  const testing::ScopedTempDir dir("st-misaligned");
  write_file(dir / "model.safetensors", as_string(bytes));

  auto file = SafetensorsFile::open(dir / "model.safetensors");
  TensorStore store = TensorStore::from_file(file);
  FloatTensor b = store.load("b", {2});
  EXPECT_NE(b.owner.get(), static_cast<const void*>(file.get()));
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(b.data) % alignof(float), 0u);
  EXPECT_EQ(values(b), (std::vector<float>{1.25f, -6.5f}));
  expect_contains(error_of([&] { store.load("a", {1}); }), {"model.safetensors", "'a'", "dtype U8"});
}

// ---------------------------------------------------------------------------
// A real checkpoint

TEST(Safetensors, ReadsTheGpt2Fixture) {
  TensorStore store = TensorStore::open_folder(fixture("gpt2"));
  EXPECT_EQ(store.names().size(), 28u);  // 2 + 12 per layer x 2 + ln_f weight and bias
  EXPECT_TRUE(store.contains("h.1.mlp.c_proj.weight"));
  EXPECT_FALSE(store.contains("lm_head.weight"));  // tied to wte, not stored
  EXPECT_EQ(store.find("h.0.attn.c_attn.weight")->shape, (std::vector<std::int64_t>{64, 192}));
  EXPECT_EQ(store.find("h.1.mlp.c_proj.weight")->shape, (std::vector<std::int64_t>{256, 64}));

  // Reference values read from the same file with Python's json + struct modules.
  FloatTensor wte = store.load("wte.weight", {457, 64});
  EXPECT_FLOAT_EQ(wte.data[0], 0.0870102644f);
  EXPECT_FLOAT_EQ(wte.data[2], 0.14344123f);
  EXPECT_FLOAT_EQ(wte.data[457 * 64 - 1], 0.11211957f);
  FloatTensor ln_f_bias = store.load("ln_f.bias", {64});
  EXPECT_FLOAT_EQ(ln_f_bias.data[1], 0.0224058405f);
  EXPECT_FLOAT_EQ(ln_f_bias.data[63], -0.0129935956f);
  store.load("wpe.weight", {64, 64});

  auto file = SafetensorsFile::open(fixture("gpt2") / "model.safetensors");
  EXPECT_EQ(file->header().metadata().at("format"), "pt");
  EXPECT_EQ(file->header().tensors().size(), 28u);
}

// ---------------------------------------------------------------------------
// Sharded folders

void write_index(const fs::path& dir, const std::string& weight_map) {
  write_file(dir / "model.safetensors.index.json",
             R"({"metadata": {"total_size": 40}, "weight_map": )" + weight_map + "}");
}

TEST(Safetensors, ShardedFolderThroughIndex) {
  const testing::ScopedTempDir dir("st-sharded");
  write_safetensors(dir / "model-00001-of-00002.safetensors", {{"a", {2}, {1, 2}}, {"b", {3}, {3, 4, 5}}});
  write_safetensors(dir / "model-00002-of-00002.safetensors", {{"c", {2, 2}, {6, 7, 8, 9}, DType::F16}});
  write_index(dir, R"({"a": "model-00001-of-00002.safetensors", "b": "model-00001-of-00002.safetensors",
                       "c": "model-00002-of-00002.safetensors"})");
  TensorStore store = TensorStore::open_folder(dir);
  EXPECT_EQ(store.names(), (std::vector<std::string>{"a", "b", "c"}));
  FloatTensor a = store.load("a", {2});
  FloatTensor b = store.load("b", {3});
  FloatTensor c = store.load("c", {2, 2});
  EXPECT_EQ(values(a), (std::vector<float>{1, 2}));
  EXPECT_EQ(values(b), (std::vector<float>{3, 4, 5}));
  EXPECT_EQ(values(c), (std::vector<float>{6, 7, 8, 9}));
  EXPECT_EQ(a.owner, b.owner);  // one mapping per shard, shared by its tensors
  expect_contains(error_of([&] { store.load("d", {1}); }), {"model.safetensors.index.json", "tensor 'd' is missing"});
}

TEST(Safetensors, IndexedTensorAbsentFromItsShard) {
  const testing::ScopedTempDir dir("st-absent");
  write_safetensors(dir / "shard1.safetensors", {{"a", {1}, {1}}});
  write_index(dir, R"({"a": "shard1.safetensors", "ghost": "shard1.safetensors"})");
  expect_contains(error_of([&] { TensorStore::open_folder(dir); }), {"'ghost'", "shard1.safetensors", "missing"});
}

TEST(Safetensors, ShardNameMustStayInsideTheFolder) {
  const testing::ScopedTempDir dir("st-escape");
  write_safetensors(dir / "shard1.safetensors", {{"a", {1}, {1}}});
  write_index(dir, R"({"a": "../shard1.safetensors"})");
  expect_contains(error_of([&] { TensorStore::open_folder(dir); }), {"../shard1.safetensors", "plain file name"});
  write_index(dir, R"({"a": ".."})");
  expect_contains(error_of([&] { TensorStore::open_folder(dir); }), {"plain file name"});
  write_index(dir, R"({"a": "/etc/passwd"})");
  expect_contains(error_of([&] { TensorStore::open_folder(dir); }), {"plain file name"});
}

TEST(Safetensors, BrokenIndexFiles) {
  const testing::ScopedTempDir dir("st-bad-index");
  write_index(dir, R"({"a": "missing.safetensors"})");
  expect_contains(error_of([&] { TensorStore::open_folder(dir); }), {"index.json", "missing.safetensors"});
  write_file(dir / "model.safetensors.index.json", R"({"weight_map": {"a": "x", "a": "y"}})");
  expect_contains(error_of([&] { TensorStore::open_folder(dir); }), {"index.json", "duplicate", "\"a\""});
  write_file(dir / "model.safetensors.index.json", R"({"weight_map": {"a": 3}})");
  expect_contains(error_of([&] { TensorStore::open_folder(dir); }), {"index.json", "'a'"});
  write_file(dir / "model.safetensors.index.json", R"({"weight_map": )");
  expect_contains(error_of([&] { TensorStore::open_folder(dir); }), {"index.json", "not valid JSON"});
}

TEST(Safetensors, FolderWithoutWeights) {
  const testing::ScopedTempDir dir("st-nothing");
  expect_contains(error_of([&] { TensorStore::open_folder(dir); }),
                  {"no model.safetensors or model.safetensors.index.json in", dir.path().string().c_str()});
}

// ---------------------------------------------------------------------------
// Broken files: every check fails with a message naming what is wrong

const char* kTensorA = R"("a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]})";

TEST(SafetensorsBroken, ShorterThanTheLengthPrefix) {
  std::vector<std::uint8_t> bytes = {1, 2, 3, 4, 5};
  expect_contains(parse_error(bytes), {"broken.safetensors", "truncated", "5 bytes"});
  expect_contains(parse_error({}), {"truncated", "0 bytes"});
}

TEST(SafetensorsBroken, DataSectionCut) {
  std::vector<std::uint8_t> bytes = safetensors_bytes({{"a", {2, 3}, {1, 2, 3, 4, 5, 6}}});
  EXPECT_EQ(parse_error(bytes), "(no error)");
  bytes.erase(bytes.end() - 4, bytes.end());
  expect_contains(parse_error(bytes), {"broken.safetensors", "tensor 'a'", "past end of data section", "truncated"});
}

TEST(SafetensorsBroken, HeaderLengthPastEndOfFile) {
  std::vector<std::uint8_t> bytes = handmade("{}", 0);
  bytes[0] = 0xE8;  // 1000
  bytes[1] = 0x03;
  expect_contains(parse_error(bytes), {"broken.safetensors", "header length 1000 past end of file (size 10)"});
  std::fill(bytes.begin(), bytes.begin() + 8, 0xFF);  // 2^64 - 1: 8 + N must not wrap around
  expect_contains(parse_error(bytes), {"header length 18446744073709551615 past end of file"});
}

TEST(SafetensorsBroken, InvalidJson) {
  expect_contains(parse_error(handmade(R"({"a": {"dtype": )", 0)), {"broken.safetensors", "not valid JSON"});
  expect_contains(parse_error(handmade("\xff\xfe", 0)), {"not valid JSON"});
  expect_contains(parse_error(handmade("[1, 2]", 0)), {"expected a JSON object"});
  expect_contains(parse_error(handmade(std::string(100, '[') + std::string(100, ']'), 0)), {"nests deeper"});
}

TEST(SafetensorsBroken, OffsetsOutOfRange) {
  expect_contains(parse_error(handmade(R"({"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,400]}})", 24)),
                  {"tensor 'a'", "data_offsets [0, 400] past end of data section (24 bytes"});
  expect_contains(
      parse_error(handmade(R"({"a":{"dtype":"F32","shape":[],"data_offsets":[18446744073709551612,0]}})", 24)),
      {"begin > end"});
  expect_contains(parse_error(handmade(
                      R"({"a":{"dtype":"F32","shape":[],"data_offsets":[18446744073709551612,18446744073709551616]}})",
                      24)),
                  {"data_offsets"});
  expect_contains(parse_error(handmade(R"({"a":{"dtype":"F32","shape":[],"data_offsets":[0,-4]}})", 24)),
                  {"expected [begin, end]"});
  expect_contains(parse_error(handmade(R"({"a":{"dtype":"F32","shape":[],"data_offsets":[0]}})", 24)),
                  {"expected [begin, end]"});
}

TEST(SafetensorsBroken, OverlappingTensors) {
  std::string header = std::string("{") + kTensorA + R"(,"b":{"dtype":"F32","shape":[4],"data_offsets":[16,32]}})";
  expect_contains(parse_error(handmade(header, 32)), {"broken.safetensors", "'a' [0, 24]", "'b' [16, 32]", "overlap"});
  // An empty tensor owns no bytes, so sitting inside another is fine.
  header = std::string("{") + kTensorA + R"(,"e":{"dtype":"F32","shape":[0],"data_offsets":[8,8]}})";
  EXPECT_EQ(parse_error(handmade(header, 24)), "(no error)");
}

TEST(SafetensorsBroken, ByteLengthDisagreesWithDtypeAndShape) {
  expect_contains(parse_error(handmade(R"({"x":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}})", 24)),
                  {"broken.safetensors: tensor 'x': dtype F32 x shape [2, 3] needs 24 bytes but data_offsets give 20"});
  // 2^61 F64 values need 2^64 bytes: the product must not wrap to 0.
  expect_contains(parse_error(handmade(R"({"x":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,0]}})", 0)),
                  {"needs more than 2^64 bytes"});
  expect_contains(
      parse_error(handmade(R"({"x":{"dtype":"U8","shape":[4294967296,4294967296,4],"data_offsets":[0,0]}})", 0)),
      {"more than 2^63 elements"});
}

TEST(SafetensorsBroken, UnknownDtype) {
  expect_contains(parse_error(handmade(R"({"x":{"dtype":"F99","shape":[1],"data_offsets":[0,4]}})", 4)),
                  {"tensor 'x'", "unknown dtype", "F99"});
  expect_contains(parse_error(handmade(R"({"x":{"dtype":7,"shape":[1],"data_offsets":[0,4]}})", 4)),
                  {"tensor 'x'", "dtype"});
}

TEST(SafetensorsBroken, NegativeOrNonIntegerShape) {
  expect_contains(parse_error(handmade(R"({"x":{"dtype":"F32","shape":[2,-3],"data_offsets":[0,4]}})", 4)),
                  {"tensor 'x'", "shape dimension 1 is -3", "non-negative integer"});
  expect_contains(parse_error(handmade(R"({"x":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}})", 4)),
                  {"non-negative integer"});
  expect_contains(parse_error(handmade(R"({"x":{"dtype":"F32","shape":[9223372036854775808],"data_offsets":[0,4]}})", 4)),
                  {"non-negative integer"});
  expect_contains(parse_error(handmade(R"({"x":{"dtype":"F32","data_offsets":[0,4]}})", 4)),
                  {"tensor 'x'", "missing field 'shape'"});
}

TEST(SafetensorsBroken, DuplicateTensorName) {
  std::string header = std::string("{") + kTensorA + "," + kTensorA + "}";
  expect_contains(parse_error(handmade(header, 24)), {"broken.safetensors", "duplicate key \"a\""});
  expect_contains(parse_error(handmade(R"({"a":{"dtype":"F32","dtype":"F16","shape":[],"data_offsets":[0,4]}})", 4)),
                  {"duplicate key \"dtype\""});
}

TEST(SafetensorsBroken, MetadataMustMapStringsToStrings) {
  std::string header = std::string("{") + kTensorA + R"(,"__metadata__":{"format":"pt","step":5}})";
  expect_contains(parse_error(handmade(header, 24)), {"__metadata__", "'step'", "expected a string"});
  header = std::string("{") + kTensorA + R"(,"__metadata__":["pt"]})";
  expect_contains(parse_error(handmade(header, 24)), {"__metadata__", "expected a JSON object"});
}

TEST(SafetensorsBroken, OpenNamesThePath) {
  const testing::ScopedTempDir dir("st-open");
  write_file(dir / "model.safetensors", "abc");
  expect_contains(error_of([&] { SafetensorsFile::open(dir / "model.safetensors"); }),
                  {(dir / "model.safetensors").string().c_str(), "truncated"});
  expect_contains(error_of([&] { SafetensorsFile::open(dir / "absent.safetensors"); }), {"absent.safetensors"});
}

// ---------------------------------------------------------------------------
// Loading by name and shape

TEST(TensorStoreLoad, MissingTensorAndWrongShape) {
  const testing::ScopedTempDir dir("st-load");
  write_safetensors(dir / "model.safetensors", {{"w", {2, 3}, {1, 2, 3, 4, 5, 6}}, {"ids", {2}, {1, 2}}});
  TensorStore store = TensorStore::open_folder(dir);
  const std::string path = (dir / "model.safetensors").string();
  expect_contains(error_of([&] { store.load("nope", {1}); }), {(path + ": tensor 'nope' is missing").c_str()});
  expect_contains(error_of([&] { store.load("w", {3, 2}); }),
                  {(path + ": tensor 'w' has shape [2, 3], expected [3, 2]").c_str()});
  expect_contains(error_of([&] { store.load("w", {6}); }), {"[2, 3]", "[6]"});
}

TEST(TensorStoreLoad, UnsupportedDtypeIsNamed) {
  std::string header = R"({"ids":{"dtype":"I64","shape":[2],"data_offsets":[0,16]}})";
  header.append((8 - header.size() % 8) % 8, ' ');
  const testing::ScopedTempDir dir("st-i64");
  write_file(dir / "model.safetensors", as_string(handmade(header, 16)));
  TensorStore store = TensorStore::open_folder(dir);
  expect_contains(error_of([&] { store.load("ids", {2}); }), {"tensor 'ids'", "I64"});
}

// ---------------------------------------------------------------------------
// Writer errors

TEST(SafetensorsWriter, RejectsBadInputAndNamesThePath) {
  const testing::ScopedTempDir dir("st-writer");
  expect_contains(error_of([&] { write_safetensors(dir / "m.safetensors", {{"w", {2, 3}, {1, 2}}}); }),
                  {"m.safetensors", "tensor 'w'", "[2, 3]", "6 values", "data has 2"});
  expect_contains(error_of([&] { write_safetensors(dir / "m.safetensors", {{"w", {1}, {1}}, {"w", {1}, {2}}}); }),
                  {"tensor 'w'", "duplicate"});
  expect_contains(error_of([&] { write_safetensors(dir / "m.safetensors", {{"w", {1}, {1}, DType::I32}}); }),
                  {"tensor 'w'", "I32"});
  expect_contains(error_of([&] { write_safetensors(dir / "no-such-dir" / "m.safetensors", {{"w", {1}, {1}}}); }),
                  {"no-such-dir/m.safetensors", "cannot"});
}

TEST(SafetensorsWriter, BytesMatchTheWrittenFile) {
  std::vector<NamedTensor> tensors = {{"z", {2}, {1, 2}, DType::BF16}, {"y", {1}, {3}}};
  const testing::ScopedTempDir dir("st-bytes");
  write_safetensors(dir / "model.safetensors", tensors, {{"format", "pt"}});
  EXPECT_EQ(as_string(safetensors_bytes(tensors, {{"format", "pt"}})), testing::read_file(dir / "model.safetensors"));
}

}  // namespace
}  // namespace attnscope
