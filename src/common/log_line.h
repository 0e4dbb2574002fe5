// log_line: renders one structured log record as a line of JSON. Every log line Parley
// writes is built here, by the JSON library, never by pasting values into a format
// string: a username or path sent by a client (with quotes, newlines or invalid UTF-8)
// stays inside its string and cannot forge a field or a line. Pure: thread-safe.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace parley {

inline std::string log_line(const nlohmann::json& record) {
  return record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace parley
