// JSON values as Parley's API documents them: a time as an RFC 3339 string (null when
// there is none), a text that is null when empty. Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace parley {

nlohmann::json json_time(std::int64_t unix_ms);                          // "2026-11-22T05:41:28.000Z"
nlohmann::json json_time(const std::optional<std::int64_t>& unix_ms);    // or null
nlohmann::json json_text_or_null(const std::string& s);                  // null when empty

}  // namespace parley
