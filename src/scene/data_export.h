// File -> Export data: the core's data exports (BertViz JSON, NumPy .npy,
// CSV of one head) written next to the PNG exports under default names that
// never overwrite an existing file. No GL, so tests call it directly.
#pragma once
#include <filesystem>
#include <string>

#include "scene/view_state.h"

namespace attnscope {

enum class DataExport { BertvizJson, NpyAttention, NpyQ, NpyK, NpyV, CsvHead };
constexpr DataExport kAllDataExports[] = {DataExport::BertvizJson, DataExport::NpyAttention, DataExport::NpyQ,
                                          DataExport::NpyK,        DataExport::NpyV,         DataExport::CsvHead};

// Menu label: "JSON (BertViz layout, all layers and heads)", "NPY: attention [L,H,T,T]", ...
const char* data_export_label(DataExport kind);

// Command-line names: json, npy-attention, npy-q, npy-k, npy-v, csv.
const char* data_export_key(DataExport kind);
bool data_export_from_key(const std::string& key, DataExport* out);

// "attnscope-attention.json", "attnscope-q.npy", "attnscope-L2H3.csv".
std::string default_data_export_name(const Selection& selection, DataExport kind);

// True when the export makes sense for the selection: a CSV is one head, so
// it needs a single head selected (not the mean or max of a layer).
bool data_export_available(const Selection& selection, DataExport kind);

// Writes the export of `snapshot` into `folder` under the default name (made
// unique) and returns the path written. Throws Error naming the path.
std::filesystem::path write_data_export(const AttentionSnapshot& snapshot, const Selection& selection, DataExport kind,
                                        const std::filesystem::path& folder);

}  // namespace attnscope
