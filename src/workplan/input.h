// Field readers the work plan's inputs share (model.cc, meeting_model.cc,
// activity_model.cc): errors are recorded on the JsonInput, as its own accessors do.
// Pure functions: thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/json_input.h"

namespace parley::workplan::input {

bool one_of(const std::vector<std::string>& v, const std::string& s);
// A date, YYYY-MM-DD; "" when given empty and not required.
std::optional<std::string> date(JsonInput& in, const std::string& key, bool required = false);
// Text with its surrounding blanks cut; blank is an error when required.
std::optional<std::string> trimmed(JsonInput& in, const std::string& key, bool required, std::size_t most);
// trimmed(), and one line: a title shows in lists, subjects, calendars and Markdown
// headings, where a line break or another control character would break them.
std::optional<std::string> line(JsonInput& in, const std::string& key, bool required, std::size_t most);

}  // namespace parley::workplan::input
