// Wall-clock time as RFC 3339 UTC strings ("2026-11-22T05:41:28Z"), the only form Parley
// stores and sends. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parley {

using Clock = std::chrono::system_clock;

std::string to_rfc3339(Clock::time_point t);        // second precision, 'Z'
std::string to_rfc3339_ms(Clock::time_point t);     // millisecond precision, 'Z'
std::string now_rfc3339();
std::int64_t unix_seconds(Clock::time_point t);
std::string today_date();                            // YYYY-MM-DD (UTC)
// "UTC", or an IANA zone this machine's time zone database (/usr/share/zoneinfo) has.
bool is_known_time_zone(const std::string& tz);

// Milliseconds since the Unix epoch <-> RFC 3339 (millisecond precision, 'Z').
std::string rfc3339_from_ms(std::int64_t unix_ms);
// Parses "2026-11-22T05:41:28Z", "...28.123Z" or "...28+05:00"; nullopt if malformed
// or not a real calendar time.
std::optional<std::int64_t> parse_rfc3339_ms(std::string_view text);

}  // namespace parley
