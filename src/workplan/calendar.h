// iCalendar (RFC 5545) for the work plan: the events a calendar feed or an invitation
// carries, written with libical (the only file that includes it), with a VTIMEZONE for
// every time zone a timed event uses, from the system's zone database.
//
// Three shapes of event: all-day (first day, last day: a meeting without a start time,
// an activity, a registration deadline), local-timed (a start time and an end time in an
// IANA zone: a meeting with a start time) and an instant (UTC: a silence procedure's
// deadline).
// Thread-safe: libical's zone cache is guarded by a lock of this file's own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace parley::workplan {

struct CalendarEvent {
  std::string uid;            // stable across versions of the event: "meeting-12@parley"
  std::string summary, description, location, url;
  std::string categories;     // "meeting", "activity", "deadline"
  bool cancelled = false;
  std::int64_t sequence = 0;  // grows when the event changes (RFC 5545 §3.8.7.4)
  std::int64_t last_modified_ms = 0;

  // One of the three shapes.
  std::string first_day, last_day;                 // all-day: YYYY-MM-DD, inclusive
  std::string start_local, end_local, time_zone;   // local-timed: "YYYY-MM-DDTHH:MM", IANA zone
  std::optional<std::int64_t> instant_ms;          // an instant, UTC
};

enum class CalendarMethod { kPublish, kRequest };

// A VCALENDAR with the events; `name` is the calendar's name (X-WR-CALNAME), `organizer`
// an e-mail address (for REQUEST). Events whose dates or zone do not parse are left out.
std::string to_ics(const std::vector<CalendarEvent>& events, const std::string& name, std::int64_t now_ms,
                   CalendarMethod method = CalendarMethod::kPublish, const std::string& organizer = "");

}  // namespace parley::workplan
