// Wall-clock time as RFC 3339 UTC strings ("2026-11-22T05:41:28Z"), the only form Parley
// stores and sends. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace parley {

using Clock = std::chrono::system_clock;

std::string to_rfc3339(Clock::time_point t);        // second precision, 'Z'
std::string to_rfc3339_ms(Clock::time_point t);     // millisecond precision, 'Z'
std::string now_rfc3339();
std::int64_t unix_seconds(Clock::time_point t);
std::string today_date();                            // YYYY-MM-DD (UTC)

}  // namespace parley
