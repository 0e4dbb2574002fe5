// Availability of a point of contact: its office hours, structured ("Mon-Fri 09:00-17:00",
// several spans joined by ';', e.g. "Sun-Thu 08:00-16:00; Fri 08:00-12:00"), and — in the
// contact's own IANA time zone — whether it is open at an instant and when it next opens.
//
// Time zones come from the operating system's tz database (Debian's tzdata) through
// Howard Hinnant's date/tz library (Debian's libhowardhinnant-date-dev, built with
// USE_OS_TZDB): g++ 12's libstdc++ has no std::chrono time zones, and no zone rule is
// written here. Daylight-saving changes follow the database: an opening time that does not
// exist on a spring-forward day opens at the transition; an ambiguous one opens at its
// first occurrence.
//
// Parsing is bounded (200 bytes, 14 spans). Values only; thread-safe (the tz database is
// loaded once, thread-safely, by the library).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::directory {

inline constexpr std::size_t kMaxOfficeHoursBytes = 200;
inline constexpr std::size_t kMaxOfficeSpans = 14;

struct OfficeSpan {
  std::vector<int> days;   // 0 = Monday .. 6 = Sunday, in the order written
  int start_minute = 0;    // minutes after local midnight, [0, 1440)
  int end_minute = 0;      // (start_minute, 1440]
};

struct OfficeHours {
  std::vector<OfficeSpan> spans;

  // nullopt with the reason in *error when `text` is not of the form
  // "Mon-Fri 09:00-17:00[; Sat 10:00-12:00 ...]" (days Mon Tue Wed Thu Fri Sat Sun, a
  // range may wrap: Sun-Thu; several days with ','; times HH:MM, end after start, 24:00 allowed).
  static std::optional<OfficeHours> parse(std::string_view text, std::string* error = nullptr);
  // The canonical text ("Mon-Fri 09:00-17:00; Sat 10:00-12:00").
  std::string to_string() const;
  bool open_on(int weekday, int minute) const;
};

// Whether `name` is a zone of the OS tz database ("Asia/Almaty", "UTC").
bool time_zone_exists(const std::string& name);

// A contact's availability as the hotline uses it. `always`: 24/7, or office hours the
// directory cannot read (a legacy free-text entry, no or an unknown time zone) — the
// hotline then treats the contact as available rather than hold traffic back.
struct Availability {
  bool always = true;
  OfficeHours hours;
  std::string timezone;

  static Availability of(const std::string& availability, const std::string& office_hours,
                         const std::string& timezone);
  bool open_at(std::int64_t unix_ms) const;
  // `unix_ms` itself when open then; otherwise the next opening (within 8 days, as every
  // parsed office-hours text has a span each week).
  std::int64_t next_opening(std::int64_t unix_ms) const;
};

// The calendar date (YYYY-MM-DD) at `unix_ms` in zone `tz` (UTC when empty or unknown).
std::string local_date(std::int64_t unix_ms, const std::string& tz);

}  // namespace parley::directory
