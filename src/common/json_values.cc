#include "common/json_values.h"

#include <nlohmann/json.hpp>

#include "common/time.h"

namespace parley {

nlohmann::json json_time(std::int64_t unix_ms) { return rfc3339_from_ms(unix_ms); }

nlohmann::json json_time(const std::optional<std::int64_t>& unix_ms) {
  return unix_ms ? nlohmann::json(rfc3339_from_ms(*unix_ms)) : nlohmann::json();
}

nlohmann::json json_text_or_null(const std::string& s) { return s.empty() ? nlohmann::json() : nlohmann::json(s); }

}  // namespace parley
