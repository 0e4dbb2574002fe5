#include "workplan/calendar_service.h"

#include <algorithm>
#include <map>

#include "auth/people.h"
#include "common/problem.h"
#include "common/text.h"
#include "common/time.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "directory/membership.h"
#include "library/access.h"
#include "negotiation/notes.h"
#include "storage/journal.h"
#include "workplan/access.h"
#include "workplan/activity_store.h"
#include "workplan/calendar.h"
#include "workplan/meeting_store.h"

namespace parley::workplan {

using auth::Principal;
using nlohmann::json;
using storage::Connection;

namespace {

constexpr std::size_t kMaxFeedsPerPerson = 20;
constexpr std::int64_t kDayMs = 86400000;

std::string feed_path(const std::string& secret) { return "/api/v1/calendar/" + secret + ".ics"; }

// A meeting as its calendar event: timed in its zone from its start time when it has
// one (ending its last day at 18:00, which calendars show; the agenda says more), else
// all-day over its days.
CalendarEvent meeting_event(const Meeting& m, const std::string& body_name) {
  CalendarEvent e;
  e.uid = "meeting-" + std::to_string(m.id) + "@parley";
  e.summary = (body_name.empty() ? "" : body_name + ": ") + m.title;
  e.location = m.place.empty() ? m.online_url : m.place;
  e.url = m.online_url;
  e.categories = "meeting";
  e.cancelled = m.status == "cancelled";
  e.sequence = (m.updated_at - m.created_at) / 1000;   // grows with each change
  e.last_modified_ms = m.updated_at;
  std::string agenda;
  for (std::size_t i = 0; i < m.agenda.size(); ++i) agenda += std::to_string(i + 1) + ". " + m.agenda[i].title + "\n";
  e.description = (m.note_number.empty() ? "" : "Convened by note verbale " + m.note_number + ".\n") +
                  (agenda.empty() ? "" : "Provisional agenda:\n" + agenda) + "In Parley: /#/workplan/meetings/" + std::to_string(m.id);
  if (!m.start_time.empty()) {
    e.start_local = m.starts_on + "T" + m.start_time;
    e.end_local = m.ends_on + "T" + (m.ends_on == m.starts_on && m.start_time >= "18:00" ? m.start_time : std::string("18:00"));
    e.time_zone = m.time_zone;
  } else {
    e.first_day = m.starts_on;
    e.last_day = m.ends_on;
  }
  return e;
}

// The events of the forums `forums` as `who` sees them, from `now` on (and the last 90
// days, so that a calendar keeps what just happened).
std::vector<CalendarEvent> events_of(Connection& c, const Principal& who, const std::vector<std::string>& forums, std::int64_t now) {
  std::vector<CalendarEvent> out;
  const auto since = rfc3339_from_ms(now - 90 * kDayMs).substr(0, 10);
  for (const auto& forum : forums) {
    std::map<std::int64_t, std::string> bodies;
    for (const auto& b : MeetingStore::bodies(c, forum)) bodies[b.id] = b.name;
    for (const auto& summary : MeetingStore::meetings(c, forum, 0, since, "")) {
      const auto m = MeetingStore::meeting(c, summary.id);
      if (!m) continue;
      auto e = meeting_event(*m, bodies[m->body_id]);
      e.summary = forum + " · " + e.summary;
      out.push_back(std::move(e));
      if (!m->registration_deadline.empty() && (m->status == "planned" || m->status == "convened")) {
        CalendarEvent d;
        d.uid = "meeting-" + std::to_string(m->id) + "-registration@parley";
        d.summary = forum + " · Registration of delegations closes: " + m->title;
        d.first_day = d.last_day = m->registration_deadline;
        d.categories = "deadline";
        d.last_modified_ms = m->updated_at;
        d.description = "Register your delegation in Parley: /#/workplan/meetings/" + std::to_string(m->id);
        out.push_back(std::move(d));
      }
    }
    for (const auto& a : ActivityStore::activities(c, forum, "")) {
      if (!a.starts_on.empty() && a.starts_on >= since && a.status != "withdrawn" && a.status != "not_approved") {
        CalendarEvent e;
        e.uid = "activity-" + std::to_string(a.id) + "@parley";
        e.summary = forum + " · " + a.title;
        e.first_day = a.starts_on;
        e.last_day = a.ends_on.empty() ? a.starts_on : a.ends_on;
        e.location = a.venue.empty() && a.online ? "Online" : a.venue;
        e.categories = "activity";
        e.last_modified_ms = a.updated_at;
        e.description = "Co-led by " + [&] {
          std::string s;
          for (const auto& x : a.co_leads) s += (s.empty() ? "" : ", ") + x;
          return s;
        }() + ". Status: " + a.status + ".\nIn Parley: /#/workplan/activities/" + std::to_string(a.id);
        out.push_back(std::move(e));
      }
      if (a.status != "in_approval") continue;
      const auto stages = ActivityStore::stages(c, a.id);
      if (stages.empty() || !stages.back().silence || stages.back().silence->status(now) != "running") continue;
      CalendarEvent d;
      d.uid = "activity-" + std::to_string(a.id) + "-silence-" + std::to_string(stages.back().id) + "@parley";
      d.summary = forum + " · Silence procedure ends: " + a.title;
      d.instant_ms = stages.back().silence->deadline;
      d.categories = "deadline";
      d.description = "Unless a member state breaks silence before then, the stage is approved.\nIn Parley: /#/workplan/activities/" +
                      std::to_string(a.id);
      out.push_back(std::move(d));
    }
    for (const auto& s : negotiation::notes::running_silences(c, who, forum, now)) {
      CalendarEvent d;
      d.uid = "negotiation-" + std::to_string(s.document_id) + "-silence-" + std::to_string(s.started_at) + "@parley";
      d.summary = forum + " · Silence procedure ends: " + s.title + " (" + s.symbol + ")";
      d.instant_ms = s.deadline;
      d.categories = "deadline";
      d.description = "Unless a member state breaks silence before then, the text is considered adopted.\nIn Parley: /#/negotiation/" +
                      std::to_string(s.document_id);
      out.push_back(std::move(d));
    }
    for (const auto& r : directory::membership::reconfirmations(c, forum, now - 90 * kDayMs)) {
      CalendarEvent d;
      d.uid = "reconfirmation-" + std::to_string(r.id) + "@parley";
      d.summary = forum + " · Directory reconfirmation due";
      d.first_day = d.last_day = r.due_date;
      d.categories = "deadline";
      d.description = "Each member state's focal point confirms its entries in the directory by this day.";
      out.push_back(std::move(d));
    }
  }
  return out;
}

// The forums whose work plan the person reads (one, or all of them).
std::vector<std::string> forums_for(Connection& c, const library::Reader& r, const std::string& only) {
  std::vector<std::string> forums;
  if (!only.empty()) {
    if (can_read_workplan(r, only)) forums.push_back(only);
    return forums;
  }
  if (!r.who.forum.empty() && can_read_workplan(r, r.who.forum)) forums.push_back(r.who.forum);
  for (const auto& f : r.member_of)
    if (can_read_workplan(r, f) && std::find(forums.begin(), forums.end(), f) == forums.end()) forums.push_back(f);
  (void)c;
  return forums;
}

json feed_json(const storage::Row& r) {
  return {{"id", r.integer("id")},
          {"forum", r.text("forum").empty() ? json(nullptr) : json(r.text("forum"))},
          {"created_at", rfc3339_from_ms(r.integer("created_at"))},
          {"revoked_at", r.opt_integer("revoked_at") ? json(rfc3339_from_ms(*r.opt_integer("revoked_at"))) : json(nullptr)}};
}

}  // namespace

CalendarService::CalendarService(storage::Database& db, TimeSource& time) : db_(db), time_(time) {}

json CalendarService::create_feed(const Principal& who, const std::string& forum_param) {
  const auto now = time_.now_ms();
  const auto forum = to_upper(trim(forum_param));
  const auto secret = crypto::random_token(32);
  return db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    if (!forum.empty()) require_workplan_reader(r, forum, "calendars");
    if (forum.empty() && forums_for(c, r, "").empty())
      throw Problem::forbidden("A calendar shows the work of your forums; your account reads none.");
    const auto count = c.query("SELECT COUNT(*) AS n FROM workplan_calendar_feeds WHERE user_id = ? AND revoked_at IS NULL", {who.user_id});
    if (count.at(0).integer("n") >= static_cast<std::int64_t>(kMaxFeedsPerPerson))
      throw Problem::conflict("You have " + std::to_string(kMaxFeedsPerPerson) + " calendar feeds already; revoke one first.");
    const auto id = c.insert("INSERT INTO workplan_calendar_feeds(user_id, forum, token_hash, created_at) VALUES (?, ?, ?, ?)",
                             {who.user_id, forum, crypto::sha256_hex(secret), now});
    storage::Journal::append(c, who.actor(), "workplan.calendar.created", "user:" + std::to_string(who.user_id),
                             {{"feed", id}, {"forum", forum}});
    return json{{"id", id}, {"forum", forum.empty() ? json(nullptr) : json(forum)}, {"created_at", rfc3339_from_ms(now)},
                {"revoked_at", nullptr}, {"path", feed_path(secret)}};
  });
}

json CalendarService::feeds(const Principal& who) {
  return db_.read([&](Connection& c) {
    json items = json::array();
    for (const auto& r : c.query("SELECT id, forum, created_at, revoked_at FROM workplan_calendar_feeds WHERE user_id = ? ORDER BY id",
                                 {who.user_id}))
      items.push_back(feed_json(r));
    return json{{"items", items}};
  });
}

void CalendarService::revoke_feed(const Principal& who, std::int64_t id) {
  const auto now = time_.now_ms();
  db_.write([&](Connection& c) {
    const auto rows = c.query("SELECT id, revoked_at FROM workplan_calendar_feeds WHERE id = ? AND user_id = ?", {id, who.user_id});
    if (rows.empty()) throw Problem::not_found("You have no calendar feed " + std::to_string(id) + ".");
    if (rows[0].opt_integer("revoked_at")) return;
    c.execute("UPDATE workplan_calendar_feeds SET revoked_at = ? WHERE id = ?", {now, id});
    storage::Journal::append(c, who.actor(), "workplan.calendar.revoked", "user:" + std::to_string(who.user_id), {{"feed", id}});
  });
}

std::string CalendarService::feed(const std::string& secret) {
  const auto now = time_.now_ms();
  const auto not_found = [] { return Problem::not_found("There is no such calendar."); };
  // The shape of a secret first: nothing else reaches the database.
  if (secret.size() != 43 || secret.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != std::string::npos)
    throw not_found();
  return db_.read([&](Connection& c) {
    const auto rows = c.query("SELECT user_id, forum FROM workplan_calendar_feeds WHERE token_hash = ? AND revoked_at IS NULL",
                              {crypto::sha256_hex(secret)});
    if (rows.empty()) throw not_found();
    const auto person = auth::people::by_id(c, rows[0].integer("user_id"));
    if (!person || person->disabled) throw not_found();
    Principal who;
    who.user_id = person->id;
    who.username = person->username;
    who.display_name = person->display_name;
    who.role = auth::parse_role(person->role).value_or(auth::Role::kObserver);
    who.state = person->state;
    who.forum = person->forum;
    const auto r = library::reader_of(c, who);
    const auto forum = rows[0].text("forum");
    const auto forums = forums_for(c, r, forum);
    if (!forum.empty() && forums.empty()) throw not_found();
    const auto name = forum.empty() ? "Parley: " + person->display_name : "Parley: " + forum;
    return to_ics(events_of(c, who, forums, now), name, now);
  });
}

std::string meeting_invitation(Connection& c, std::int64_t meeting_id, std::int64_t now_ms, const std::string& organizer) {
  const auto m = MeetingStore::meeting(c, meeting_id);
  if (!m) return {};
  const auto b = MeetingStore::body(c, m->body_id);
  auto e = meeting_event(*m, b ? b->name : "");
  e.summary = m->forum + " · " + e.summary;
  return to_ics({e}, "Parley: " + m->forum, now_ms, CalendarMethod::kRequest, organizer);
}

std::string CalendarService::invitation(const Principal& who, std::int64_t meeting_id) {
  const auto now = time_.now_ms();
  return db_.read([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto m = MeetingStore::meeting(c, meeting_id);
    if (!m || !can_read_workplan(r, m->forum)) throw Problem::not_found("There is no meeting " + std::to_string(meeting_id) + " for you.");
    return meeting_invitation(c, meeting_id, now, "");
  });
}

}  // namespace parley::workplan
