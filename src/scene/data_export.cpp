#include "scene/data_export.h"

#include "scene/output_path.h"
#include "core/error.h"
#include "core/export_data.h"

namespace attnscope {

const char* data_export_label(DataExport kind) {
  switch (kind) {
    case DataExport::BertvizJson: return "JSON (BertViz layout, every layer and head)";
    case DataExport::NpyAttention: return "NPY: attention [L, H, T, T]";
    case DataExport::NpyQ: return "NPY: queries Q [L, H, T, Dh]";
    case DataExport::NpyK: return "NPY: keys K [L, H, T, Dh]";
    case DataExport::NpyV: return "NPY: values V [L, H, T, Dh]";
    case DataExport::CsvHead: return "CSV: selected layer and head [T, T]";
  }
  return "?";
}

const char* data_export_key(DataExport kind) {
  switch (kind) {
    case DataExport::BertvizJson: return "json";
    case DataExport::NpyAttention: return "npy-attention";
    case DataExport::NpyQ: return "npy-q";
    case DataExport::NpyK: return "npy-k";
    case DataExport::NpyV: return "npy-v";
    case DataExport::CsvHead: return "csv";
  }
  return "?";
}

bool data_export_from_key(const std::string& key, DataExport* out) {
  for (DataExport kind : kAllDataExports)
    if (key == data_export_key(kind)) {
      *out = kind;
      return true;
    }
  return false;
}

std::string default_data_export_name(const Selection& selection, DataExport kind) {
  switch (kind) {
    case DataExport::BertvizJson: return "attnscope-attention.json";
    case DataExport::NpyAttention: return "attnscope-attention.npy";
    case DataExport::NpyQ: return "attnscope-q.npy";
    case DataExport::NpyK: return "attnscope-k.npy";
    case DataExport::NpyV: return "attnscope-v.npy";
    case DataExport::CsvHead:
      return "attnscope-L" + std::to_string(selection.layer) + "H" + std::to_string(selection.head) + ".csv";
  }
  return "attnscope-export";
}

bool data_export_available(const Selection& selection, DataExport kind) {
  return kind != DataExport::CsvHead || selection.mode == HeadMode::Single;
}

namespace {

std::string export_bytes(const AttentionSnapshot& snapshot, const Selection& selection, DataExport kind) {
  switch (kind) {
    case DataExport::BertvizJson: return bertviz_json(snapshot).dump() + "\n";
    case DataExport::NpyAttention: return npy_bytes(snapshot_array(snapshot, NpyTensor::Attention));
    case DataExport::NpyQ: return npy_bytes(snapshot_array(snapshot, NpyTensor::Q));
    case DataExport::NpyK: return npy_bytes(snapshot_array(snapshot, NpyTensor::K));
    case DataExport::NpyV: return npy_bytes(snapshot_array(snapshot, NpyTensor::V));
    case DataExport::CsvHead:
      if (selection.layer < 0 || selection.layer >= snapshot.n_layers || selection.head < 0 ||
          selection.head >= snapshot.n_heads)
        throw Error("CSV export: layer " + std::to_string(selection.layer) + " head " + std::to_string(selection.head) +
                    " is outside the snapshot's " + std::to_string(snapshot.n_layers) + " x " +
                    std::to_string(snapshot.n_heads) + " heads");
      return attention_csv(snapshot, selection.layer, selection.head);
  }
  throw Error("unknown data export");
}

}  // namespace

std::filesystem::path write_data_export(const AttentionSnapshot& snapshot, const Selection& selection, DataExport kind,
                                        const std::filesystem::path& folder) {
  if (!data_export_available(selection, kind))
    throw Error("CSV export needs a single head selected (not the mean or max of the layer)");
  const std::string bytes = export_bytes(snapshot, selection, kind);
  const std::filesystem::path path = unique_path(folder / default_data_export_name(selection, kind));
  write_export(path, bytes, /*overwrite=*/false);
  return path;
}

}  // namespace attnscope
