#include "workplan/input.h"

#include <algorithm>

#include "common/text.h"

namespace parley::workplan::input {

bool one_of(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

std::optional<std::string> date(JsonInput& in, const std::string& key, bool required) {
  auto d = in.text(key, required, 10);
  if (d && !d->empty() && !is_date(*d)) in.error(key, "is a date, YYYY-MM-DD");
  if (d && d->empty() && required) in.error(key, "is required: a date, YYYY-MM-DD");
  return d;
}

std::optional<std::string> trimmed(JsonInput& in, const std::string& key, bool required, std::size_t most) {
  auto s = in.text(key, required, most, required ? 1 : 0);
  if (!s) return s;
  auto t = trim(*s);
  if (required && t.empty()) in.error(key, "is blank");
  return t;
}

std::optional<std::string> line(JsonInput& in, const std::string& key, bool required, std::size_t most) {
  auto t = trimmed(in, key, required, most);
  if (t && !is_one_line(*t)) in.error(key, "is one line, without control characters");
  return t;
}

}  // namespace parley::workplan::input
