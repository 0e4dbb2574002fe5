#include "workplan/calendar.h"

#include <libical/ical.h>

#include <memory>
#include <mutex>
#include <set>

#include "common/text.h"
#include "common/time.h"

namespace parley::workplan {

namespace {

// libical 3.0 loads zones from /usr/share/zoneinfo into a process-wide cache.
std::mutex& zones_lock() {
  static std::mutex m;
  return m;
}

struct Freer {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
  void operator()(char* s) const { icalmemory_free_buffer(s); }
};

bool parse_date(const std::string& s, icaltimetype& t) {
  if (!is_date(s)) return false;
  t = icaltime_null_date();
  t.year = std::stoi(s.substr(0, 4));
  t.month = std::stoi(s.substr(5, 2));
  t.day = std::stoi(s.substr(8, 2));
  t.is_date = 1;
  return true;
}

bool parse_local(const std::string& s, icaltimetype& t) {   // YYYY-MM-DDTHH:MM
  if (s.size() != 16 || s[10] != 'T' || s[13] != ':' || !parse_date(s.substr(0, 10), t)) return false;
  for (int i : {11, 12, 14, 15})
    if (!std::isdigit(static_cast<unsigned char>(s[static_cast<std::size_t>(i)]))) return false;
  t.is_date = 0;
  t.hour = std::stoi(s.substr(11, 2));
  t.minute = std::stoi(s.substr(14, 2));
  t.second = 0;
  return t.hour < 24 && t.minute < 60;
}

icaltimetype utc_of(std::int64_t ms) { return icaltime_from_timet_with_zone(static_cast<time_t>(ms / 1000), 0, icaltimezone_get_utc_timezone()); }

}  // namespace

std::string to_ics(const std::vector<CalendarEvent>& events, const std::string& name, std::int64_t now_ms, CalendarMethod method,
                   const std::string& organizer) {
  std::lock_guard<std::mutex> lock(zones_lock());

  std::unique_ptr<icalcomponent, Freer> cal(icalcomponent_new_vcalendar());
  icalcomponent_add_property(cal.get(), icalproperty_new_version("2.0"));
  icalcomponent_add_property(cal.get(), icalproperty_new_prodid("-//Parley//Work plan//EN"));
  icalcomponent_add_property(cal.get(), icalproperty_new_calscale("GREGORIAN"));
  icalcomponent_add_property(cal.get(), icalproperty_new_method(method == CalendarMethod::kRequest ? ICAL_METHOD_REQUEST : ICAL_METHOD_PUBLISH));
  auto* calname = icalproperty_new_x(name.c_str());
  icalproperty_set_x_name(calname, "X-WR-CALNAME");
  icalcomponent_add_property(cal.get(), calname);

  std::set<std::string> zones;
  const auto stamp = utc_of(now_ms);
  for (const auto& e : events) {
    icalcomponent* ev = icalcomponent_new_vevent();
    bool ok = true;
    if (!e.first_day.empty()) {
      icaltimetype start, end;
      ok = parse_date(e.first_day, start) && parse_date(e.last_day.empty() ? e.first_day : e.last_day, end);
      if (ok) {
        icaltime_adjust(&end, 1, 0, 0, 0);   // DTEND of an all-day event is the day after (exclusive)
        icalcomponent_add_property(ev, icalproperty_new_dtstart(start));
        icalcomponent_add_property(ev, icalproperty_new_dtend(end));
      }
    } else if (!e.start_local.empty()) {
      icaltimezone* zone = e.time_zone == "UTC" ? icaltimezone_get_utc_timezone() : icaltimezone_get_builtin_timezone(e.time_zone.c_str());
      icaltimetype start, end;
      ok = zone && parse_local(e.start_local, start) && parse_local(e.end_local.empty() ? e.start_local : e.end_local, end);
      if (ok) {
        // TZIDs are the IANA names ("Asia/Almaty"), which calendar applications know,
        // not libical's "/freeassociation.sourceforge.net/Asia/Almaty": the times are
        // written as local times with that TZID, and the zone's VTIMEZONE (from the
        // system's zone database) carries the same name.
        const bool utc = zone == icaltimezone_get_utc_timezone();
        if (utc) {
          start = icaltime_set_timezone(&start, zone);
          end = icaltime_set_timezone(&end, zone);
        }
        auto* dtstart = icalproperty_new_dtstart(start);
        auto* dtend = icalproperty_new_dtend(end);
        if (!utc) {
          const char* tzid = e.time_zone.c_str();
          icalproperty_add_parameter(dtstart, icalparameter_new_tzid(tzid));
          icalproperty_add_parameter(dtend, icalparameter_new_tzid(tzid));
          if (zones.insert(e.time_zone).second) {
            icalcomponent* vtz = icalcomponent_new_clone(icaltimezone_get_component(zone));
            if (icalproperty* p = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY)) icalproperty_set_tzid(p, tzid);
            icalcomponent_add_component(cal.get(), vtz);
          }
        }
        icalcomponent_add_property(ev, dtstart);
        icalcomponent_add_property(ev, dtend);
      }
    } else if (e.instant_ms) {
      icalcomponent_add_property(ev, icalproperty_new_dtstart(utc_of(*e.instant_ms)));
      icalcomponent_add_property(ev, icalproperty_new_dtend(utc_of(*e.instant_ms)));
    } else {
      ok = false;
    }
    if (!ok) {
      icalcomponent_free(ev);
      continue;
    }
    icalcomponent_add_property(ev, icalproperty_new_uid(e.uid.c_str()));
    icalcomponent_add_property(ev, icalproperty_new_dtstamp(stamp));
    icalcomponent_add_property(ev, icalproperty_new_summary(e.summary.c_str()));
    if (!e.description.empty()) icalcomponent_add_property(ev, icalproperty_new_description(e.description.c_str()));
    if (!e.location.empty()) icalcomponent_add_property(ev, icalproperty_new_location(e.location.c_str()));
    if (!e.url.empty()) icalcomponent_add_property(ev, icalproperty_new_url(e.url.c_str()));
    if (!e.categories.empty()) icalcomponent_add_property(ev, icalproperty_new_categories(e.categories.c_str()));
    icalcomponent_add_property(ev, icalproperty_new_sequence(static_cast<int>(e.sequence)));
    if (e.last_modified_ms) icalcomponent_add_property(ev, icalproperty_new_lastmodified(utc_of(e.last_modified_ms)));
    icalcomponent_add_property(ev, icalproperty_new_status(e.cancelled ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
    icalcomponent_add_property(ev, icalproperty_new_transp(e.instant_ms ? ICAL_TRANSP_TRANSPARENT : ICAL_TRANSP_OPAQUE));
    if (method == CalendarMethod::kRequest && !organizer.empty())
      icalcomponent_add_property(ev, icalproperty_new_organizer(("mailto:" + organizer).c_str()));
    icalcomponent_add_component(cal.get(), ev);
  }
  std::unique_ptr<char, Freer> text(icalcomponent_as_ical_string_r(cal.get()));
  return text ? std::string(text.get()) : std::string();
}

}  // namespace parley::workplan
