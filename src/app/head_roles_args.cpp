#include "app/head_roles_args.h"

#include <charconv>

#include "core/error.h"

namespace attnscope::app {

const char* const kHeadRolesUsage =
    "                 [--head-roles text|probe] [--roles-sort COLUMN[:asc|:desc]] [--roles-click N] [--role-borders]\n"
    "                 [--one-based-heads]\n";

namespace {

[[noreturn]] void usage_error(const std::string& message) { throw Error(ErrorKind::Usage, message); }

void take_sort(const std::string& flag, const std::string& text, HeadRolesArgs& args) {
  const size_t colon = text.find(':');
  const std::string key = text.substr(0, colon), order = colon == std::string::npos ? "asc" : text.substr(colon + 1);
  RoleColumn column;
  if (!role_column_from_key(key, &column))
    usage_error(flag + ": unknown column '" + key +
                "' (expected layer, head, previous, next, first, self, entropy, induction, role or preset)");
  if (order != "asc" && order != "desc") usage_error(flag + ": expected COLUMN:asc or COLUMN:desc, got '" + text + "'");
  args.sort = column;
  args.descending = order == "desc";
}

}  // namespace

bool take_head_roles_option(const std::string& flag, const std::function<std::string()>& value, HeadRolesArgs& args) {
  if (flag == "--head-roles") {
    const std::string source = value();
    if (source == "text") args.source = RoleTextSource::CurrentText;
    else if (source == "probe") args.source = RoleTextSource::ProbeText;
    else usage_error(flag + ": expected text or probe, got '" + source + "'");
  } else if (flag == "--roles-sort") {
    take_sort(flag, value(), args);
  } else if (flag == "--roles-click") {
    const std::string text = value();
    int row = -1;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), row);
    if (ec != std::errc() || end != text.data() + text.size() || row < 0)
      usage_error(flag + ": expected a row number from 0, got '" + text + "'");
    args.click_row = row;
  } else if (flag == "--role-borders") {
    args.role_borders = true;
  } else if (flag == "--one-based-heads") {
    args.one_based = true;
  } else {
    return false;
  }
  return true;
}

}  // namespace attnscope::app
