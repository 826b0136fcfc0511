#include "train/checkpoint.h"

#include "core/error.h"
#include "core/safetensors.h"
#include "core/safetensors_writer.h"

namespace attnscope::train {

nlohmann::json shape_to_json(const ModelShape& s) {
  return {{"arch", arch_name(s.arch)}, {"layers", s.n_layers},      {"heads", s.n_heads},
          {"dim", s.dim},              {"ffn_dim", s.ffn_dim},      {"vocab_size", s.vocab_size},
          {"max_positions", s.max_positions}, {"token_types", s.n_token_types}, {"norm_eps", s.norm_eps}};
}

ModelShape shape_from_json(const nlohmann::json& j) {
  const auto field = [&](const char* key) -> const nlohmann::json& {
    if (!j.is_object() || !j.contains(key)) throw Error(std::string("checkpoint shape: missing field '") + key + "'");
    return j[key];
  };
  try {
    ModelShape s;
    s.arch = arch_from_name(field("arch").get<std::string>());
    s.n_layers = field("layers").get<int>();
    s.n_heads = field("heads").get<int>();
    s.dim = field("dim").get<int>();
    s.ffn_dim = field("ffn_dim").get<int>();
    s.vocab_size = field("vocab_size").get<int>();
    s.max_positions = field("max_positions").get<int>();
    s.n_token_types = field("token_types").get<int>();
    s.norm_eps = field("norm_eps").get<double>();
    s.validate();
    return s;
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("checkpoint shape: ") + e.what());
  }
}

void save_flat_checkpoint(const std::filesystem::path& path, const std::vector<ParamInfo>& layout, std::size_t total,
                          const FlatTrainingState& state, const std::map<std::string, std::string>& metadata) {
  std::vector<NamedTensor> tensors;
  const std::pair<const char*, const std::vector<float>*> parts[] = {
      {"param.", &state.params}, {"adam_m.", &state.adam_m}, {"adam_v.", &state.adam_v}};
  for (const auto& [prefix, values] : parts) {
    if (values->size() != total)
      throw Error(path.string() + ": " + prefix + " holds " + std::to_string(values->size()) + " values, expected " +
                  std::to_string(total));
    for (const ParamInfo& p : layout)
      tensors.push_back({prefix + p.name, p.shape,
                         std::vector<float>(values->begin() + static_cast<std::ptrdiff_t>(p.offset),
                                            values->begin() + static_cast<std::ptrdiff_t>(p.offset + p.size)),
                         DType::F32});
  }
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  // Replaced atomically: a crash mid-write keeps the previous checkpoint.
  write_safetensors(path, tensors, metadata, Overwrite::Allow);
}

std::map<std::string, std::string> read_checkpoint_metadata(const std::filesystem::path& path, const std::string& format) {
  const auto file = SafetensorsFile::open(path);
  const auto& meta = file->header().metadata();
  const auto it = meta.find("format");
  if (it == meta.end()) throw Error(path.string() + ": not a training checkpoint (no 'format' in its metadata)");
  if (it->second != format) throw Error(path.string() + ": not an attnscope training checkpoint of format " + format);
  return {meta.begin(), meta.end()};
}

FlatTrainingState load_flat_checkpoint(const std::filesystem::path& path, const std::vector<ParamInfo>& layout, std::size_t total) {
  const TensorStore store = TensorStore::from_file(SafetensorsFile::open(path));
  FlatTrainingState state;
  std::pair<const char*, std::vector<float>*> parts[] = {
      {"param.", &state.params}, {"adam_m.", &state.adam_m}, {"adam_v.", &state.adam_v}};
  for (auto& [prefix, values] : parts) {
    values->assign(total, 0.0f);
    for (const ParamInfo& p : layout) {
      const FloatTensor t = store.load(prefix + p.name, std::span<const std::int64_t>(p.shape));
      std::copy(t.data, t.data + p.size, values->begin() + static_cast<std::ptrdiff_t>(p.offset));
    }
  }
  return state;
}

void save_checkpoint(const std::filesystem::path& path, const CheckpointState& state) {
  const ParamLayout layout = make_layout(state.shape);
  const std::map<std::string, std::string> metadata = {{"format", "attnscope-train-checkpoint"},
                                                       {"shape", shape_to_json(state.shape).dump()},
                                                       {"seed", std::to_string(state.seed)},
                                                       {"step", std::to_string(state.step)}};
  save_flat_checkpoint(path, layout.params, layout.total, {state.params, state.adam_m, state.adam_v}, metadata);
}

CheckpointState load_checkpoint(const std::filesystem::path& path) {
  const auto meta = read_checkpoint_metadata(path, "attnscope-train-checkpoint");
  const auto value = [&](const char* key) {
    const auto it = meta.find(key);
    if (it == meta.end()) throw Error(path.string() + ": not a training checkpoint (no '" + key + "' in its metadata)");
    return it->second;
  };
  CheckpointState state;
  try {
    state.shape = shape_from_json(nlohmann::json::parse(value("shape")));
    state.seed = std::stoull(value("seed"));
    state.step = std::stoi(value("step"));
  } catch (const std::logic_error& e) {
    throw Error(path.string() + ": bad checkpoint metadata: " + e.what());
  }
  const ParamLayout layout = make_layout(state.shape);
  FlatTrainingState flat = load_flat_checkpoint(path, layout.params, layout.total);
  state.params = std::move(flat.params);
  state.adam_m = std::move(flat.adam_m);
  state.adam_v = std::move(flat.adam_v);
  return state;
}

}  // namespace attnscope::train
