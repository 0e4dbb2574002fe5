#include "directory/availability.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <stdexcept>

#include <date/date.h>
#include <date/tz.h>

namespace parley::directory {

namespace {

constexpr std::array<const char*, 7> kDayNames = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

std::string_view trim_view(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

int day_index(std::string_view s) {
  if (s.size() != 3) return -1;
  for (int i = 0; i < 7; ++i) {
    const char* n = kDayNames[static_cast<std::size_t>(i)];
    if (std::tolower(static_cast<unsigned char>(s[0])) == std::tolower(static_cast<unsigned char>(n[0])) &&
        std::tolower(static_cast<unsigned char>(s[1])) == n[1] && std::tolower(static_cast<unsigned char>(s[2])) == n[2])
      return i;
  }
  return -1;
}

// "HH:MM" -> minutes; 24:00 only when `end`.
int minute_of(std::string_view s, bool end) {
  if (s.size() != 5 || s[2] != ':') return -1;
  for (int i : {0, 1, 3, 4})
    if (!std::isdigit(static_cast<unsigned char>(s[static_cast<std::size_t>(i)]))) return -1;
  const int h = (s[0] - '0') * 10 + (s[1] - '0');
  const int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59) return -1;
  if (h == 24 && m == 0 && end) return 1440;
  if (h > 23) return -1;
  return h * 60 + m;
}

std::string hhmm(int minutes) {
  std::string s = "00:00";
  s[0] = static_cast<char>('0' + minutes / 600);
  s[1] = static_cast<char>('0' + minutes / 60 % 10);
  s[3] = static_cast<char>('0' + minutes % 60 / 10);
  s[4] = static_cast<char>('0' + minutes % 10);
  return s;
}

bool fail(std::string* error, std::string why) {
  if (error) *error = std::move(why);
  return false;
}

bool parse_span(std::string_view text, OfficeSpan& out, std::string* error) {
  text = trim_view(text);
  const auto space = text.find_first_of(" \t");
  if (space == std::string_view::npos)
    return fail(error, "each span must be days then hours, e.g. \"Mon-Fri 09:00-17:00\"");
  const auto days = text.substr(0, space);
  const auto times = trim_view(text.substr(space));
  std::size_t pos = 0;
  while (pos <= days.size()) {
    const auto comma = days.find(',', pos);
    const auto item = days.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    const auto dash = item.find('-');
    if (dash == std::string_view::npos) {
      const int d = day_index(item);
      if (d < 0) return fail(error, std::string("\"").append(item).append("\" is not a day (Mon Tue Wed Thu Fri Sat Sun)"));
      out.days.push_back(d);
    } else {
      const int a = day_index(item.substr(0, dash));
      const int b = day_index(item.substr(dash + 1));
      if (a < 0 || b < 0) return fail(error, std::string("\"").append(item).append("\" is not a range of days such as Mon-Fri"));
      for (int d = a;; d = (d + 1) % 7) {
        out.days.push_back(d);
        if (d == b) break;
      }
    }
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  const auto dash = times.find('-');
  if (dash == std::string_view::npos) return fail(error, "hours must be HH:MM-HH:MM, e.g. 09:00-17:00");
  out.start_minute = minute_of(trim_view(times.substr(0, dash)), false);
  out.end_minute = minute_of(trim_view(times.substr(dash + 1)), true);
  if (out.start_minute < 0 || out.end_minute < 0) return fail(error, "hours must be HH:MM-HH:MM, e.g. 09:00-17:00");
  if (out.end_minute <= out.start_minute)
    return fail(error, "hours must end after they start on the same day (" + std::string(times) + ")");
  return true;
}

const date::time_zone* zone(const std::string& name) {
  if (name.empty()) return nullptr;
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

using ms_t = std::chrono::milliseconds;

}  // namespace

std::optional<OfficeHours> OfficeHours::parse(std::string_view text, std::string* error) {
  if (text.size() > kMaxOfficeHoursBytes) {
    fail(error, "is longer than " + std::to_string(kMaxOfficeHoursBytes) + " bytes");
    return std::nullopt;
  }
  OfficeHours h;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const auto semi = text.find(';', pos);
    const auto part = text.substr(pos, semi == std::string_view::npos ? std::string_view::npos : semi - pos);
    if (h.spans.size() == kMaxOfficeSpans) {
      fail(error, "has more than " + std::to_string(kMaxOfficeSpans) + " spans");
      return std::nullopt;
    }
    OfficeSpan span;
    if (!parse_span(part, span, error)) return std::nullopt;
    h.spans.push_back(std::move(span));
    if (semi == std::string_view::npos) break;
    pos = semi + 1;
  }
  return h;
}

std::string OfficeHours::to_string() const {
  std::string out;
  for (const auto& s : spans) {
    if (!out.empty()) out += "; ";
    // Consecutive runs of days as ranges, in the order written.
    std::string days;
    for (std::size_t i = 0; i < s.days.size();) {
      std::size_t j = i;
      while (j + 1 < s.days.size() && s.days[j + 1] == (s.days[j] + 1) % 7) ++j;
      if (!days.empty()) days += ",";
      days += kDayNames[static_cast<std::size_t>(s.days[i])];
      if (j > i) {
        days += "-";
        days += kDayNames[static_cast<std::size_t>(s.days[j])];
      }
      i = j + 1;
    }
    out += days + " " + hhmm(s.start_minute) + "-" + hhmm(s.end_minute);
  }
  return out;
}

bool OfficeHours::open_on(int weekday, int minute) const {
  for (const auto& s : spans)
    if (minute >= s.start_minute && minute < s.end_minute &&
        std::find(s.days.begin(), s.days.end(), weekday) != s.days.end())
      return true;
  return false;
}

bool time_zone_exists(const std::string& name) { return zone(name) != nullptr; }

Availability Availability::of(const std::string& availability, const std::string& office_hours,
                              const std::string& timezone) {
  Availability a;
  a.timezone = timezone;
  if (availability != "office_hours") return a;
  auto h = OfficeHours::parse(office_hours);
  if (!h || h->spans.empty() || !zone(timezone)) return a;   // unreadable: treated as available
  a.always = false;
  a.hours = std::move(*h);
  return a;
}

bool Availability::open_at(std::int64_t unix_ms) const {
  if (always) return true;
  const auto* z = zone(timezone);
  if (!z) return true;
  const auto local = z->to_local(date::sys_time<ms_t>(ms_t(unix_ms)));
  const auto day = date::floor<date::days>(local);
  const int weekday = static_cast<int>(date::weekday(day).iso_encoding()) - 1;   // Mon = 0
  const int minute = static_cast<int>(date::floor<std::chrono::minutes>(local - day).count());
  return hours.open_on(weekday, minute);
}

std::int64_t Availability::next_opening(std::int64_t unix_ms) const {
  if (open_at(unix_ms)) return unix_ms;
  const auto* z = zone(timezone);
  const auto now = date::sys_time<ms_t>(ms_t(unix_ms));
  const auto today = date::floor<date::days>(z->to_local(now));
  std::optional<date::sys_time<ms_t>> best;
  // From yesterday (a local day is not 24 h on DST days) to eight days on.
  for (int d = -1; d <= 8; ++d) {
    const auto day = today + date::days(d);
    const int weekday = static_cast<int>(date::weekday(day).iso_encoding()) - 1;
    for (const auto& s : hours.spans) {
      if (std::find(s.days.begin(), s.days.end(), weekday) == s.days.end()) continue;
      const auto local_start = date::local_time<ms_t>(day) + std::chrono::minutes(s.start_minute);
      const auto local_end = date::local_time<ms_t>(day) + std::chrono::minutes(s.end_minute);
      // A start that does not exist (spring forward) opens at the transition; an
      // ambiguous one (fall back) at its first occurrence.
      const auto start = z->to_sys(local_start, date::choose::earliest);
      const auto end = z->to_sys(local_end, date::choose::latest);
      if (end <= now || end <= start) continue;   // past, or a span a spring-forward night removes
      const auto open = start > now ? start : now;
      if (!best || open < *best) best = open;
    }
  }
  return best ? best->time_since_epoch().count() : unix_ms;
}

std::string local_date(std::int64_t unix_ms, const std::string& tz) {
  const auto tp = date::sys_time<ms_t>(ms_t(unix_ms));
  date::local_days day;
  if (const auto* z = zone(tz)) day = date::floor<date::days>(z->to_local(tp));
  else day = date::local_days(date::floor<date::days>(tp).time_since_epoch());
  return date::format("%F", day);
}

}  // namespace parley::directory
