#include "workplan/meeting_store.h"

#include <algorithm>
#include <map>

namespace parley::workplan {

namespace {

constexpr const char* kMeetingColumns =
    "m.id, m.body_id, b.forum, m.title, m.starts_on, m.ends_on, m.start_time, m.time_zone, m.place, m.online_url,"
    " m.registration_deadline, m.status, m.note_number, m.communication_id, m.convened_at, m.created_at, m.updated_at";

Meeting meeting_of(const storage::Row& r) {
  Meeting m;
  m.id = r.integer("id");
  m.body_id = r.integer("body_id");
  m.forum = r.text("forum");
  m.title = r.text("title");
  m.starts_on = r.text("starts_on");
  m.ends_on = r.text("ends_on");
  m.start_time = r.text("start_time");
  m.time_zone = r.text("time_zone");
  m.place = r.text("place");
  m.online_url = r.text("online_url");
  m.registration_deadline = r.text("registration_deadline");
  m.status = r.text("status");
  m.note_number = r.text("note_number");
  m.communication_id = r.opt_integer("communication_id");
  m.convened_at = r.opt_integer("convened_at");
  m.created_at = r.integer("created_at");
  m.updated_at = r.integer("updated_at");
  return m;
}

Cited cited_of(const storage::Row& r) {
  const auto ref = r.opt_integer("ref");
  return {r.text("kind"), ref.value_or(0)};
}

storage::Value ref_of(const Cited& c) { return c.kind.empty() ? storage::Value() : storage::Value(c.id); }

std::vector<AgendaItem> agenda_of(MeetingStore::C& c, std::int64_t meeting_id) {
  std::vector<AgendaItem> out;
  for (const auto& r : c.query("SELECT id, title, kind, ref FROM workplan_agenda_items WHERE meeting_id = ? ORDER BY position, id",
                               {meeting_id}))
    out.push_back({r.integer("id"), r.text("title"), cited_of(r)});
  return out;
}

}  // namespace

std::vector<Body> MeetingStore::bodies(C& c, const std::string& forum) {
  std::vector<Body> out;
  for (const auto& r : c.query("SELECT id, forum, code, name, position FROM workplan_bodies WHERE forum = ? ORDER BY position, id", {forum}))
    out.push_back({r.integer("id"), r.text("forum"), r.text("code"), r.text("name"), r.integer("position"), {}});
  std::map<std::int64_t, Body*> by_id;
  for (auto& b : out) by_id[b.id] = &b;
  for (const auto& r : c.query("SELECT k.body_id, k.state FROM workplan_body_chairs k JOIN workplan_bodies b ON b.id = k.body_id"
                               " WHERE b.forum = ? ORDER BY k.state",
                               {forum}))
    if (auto it = by_id.find(r.integer("body_id")); it != by_id.end()) it->second->chairs.push_back(r.text("state"));
  return out;
}

std::optional<Body> MeetingStore::body(C& c, std::int64_t id) {
  const auto rows = c.query("SELECT id, forum, code, name, position FROM workplan_bodies WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  Body b{rows[0].integer("id"), rows[0].text("forum"), rows[0].text("code"), rows[0].text("name"), rows[0].integer("position"), {}};
  for (const auto& r : c.query("SELECT state FROM workplan_body_chairs WHERE body_id = ? ORDER BY state", {id}))
    b.chairs.push_back(r.text("state"));
  return b;
}

std::optional<std::int64_t> MeetingStore::find_body(C& c, const std::string& forum, const std::string& code) {
  const auto rows = c.query("SELECT id FROM workplan_bodies WHERE forum = ? AND code = ?", {forum, code});
  if (rows.empty()) return std::nullopt;
  return rows[0].integer("id");
}

std::int64_t MeetingStore::insert_body(C& c, const Body& b, std::int64_t now) {
  const auto id = c.insert("INSERT INTO workplan_bodies(forum, code, name, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                           {b.forum, b.code, b.name, b.position, now, now});
  for (const auto& s : b.chairs) c.execute("INSERT INTO workplan_body_chairs(body_id, state) VALUES (?, ?)", {id, s});
  return id;
}

void MeetingStore::update_body(C& c, const Body& b, std::int64_t now) {
  c.execute("UPDATE workplan_bodies SET code = ?, name = ?, position = ?, updated_at = ? WHERE id = ?",
            {b.code, b.name, b.position, now, b.id});
  c.execute("DELETE FROM workplan_body_chairs WHERE body_id = ?", {b.id});
  for (const auto& s : b.chairs) c.execute("INSERT INTO workplan_body_chairs(body_id, state) VALUES (?, ?)", {b.id, s});
}

std::vector<Meeting> MeetingStore::meetings(C& c, const std::string& forum, std::int64_t body_id, const std::string& from,
                                            const std::string& to) {
  std::string sql = std::string("SELECT ") + kMeetingColumns +
                    " FROM workplan_meetings m JOIN workplan_bodies b ON b.id = m.body_id WHERE b.forum = ?";
  storage::Params p{forum};
  if (body_id) {
    sql += " AND m.body_id = ?";
    p.emplace_back(body_id);
  }
  if (!from.empty()) {
    sql += " AND m.ends_on >= ?";
    p.emplace_back(from);
  }
  if (!to.empty()) {
    sql += " AND m.starts_on <= ?";
    p.emplace_back(to);
  }
  std::vector<Meeting> out;
  for (const auto& r : c.query(sql + " ORDER BY m.starts_on, m.id", p)) out.push_back(meeting_of(r));
  return out;
}

std::optional<Meeting> MeetingStore::meeting(C& c, std::int64_t id) {
  const auto rows = c.query(std::string("SELECT ") + kMeetingColumns +
                                " FROM workplan_meetings m JOIN workplan_bodies b ON b.id = m.body_id WHERE m.id = ?",
                            {id});
  if (rows.empty()) return std::nullopt;
  auto m = meeting_of(rows[0]);
  m.agenda = agenda_of(c, id);
  return m;
}

std::int64_t MeetingStore::insert_meeting(C& c, const Meeting& m, std::int64_t by, std::int64_t now) {
  const auto id = c.insert(
      "INSERT INTO workplan_meetings(body_id, title, starts_on, ends_on, start_time, time_zone, place, online_url,"
      " registration_deadline, status, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {m.body_id, m.title, m.starts_on, m.ends_on, m.start_time, m.time_zone, m.place, m.online_url, m.registration_deadline,
       m.status, by, now, now});
  set_agenda(c, id, m.agenda);
  return id;
}

void MeetingStore::update_meeting(C& c, const Meeting& m, std::int64_t now) {
  c.execute("UPDATE workplan_meetings SET title = ?, starts_on = ?, ends_on = ?, start_time = ?, time_zone = ?, place = ?,"
            " online_url = ?, registration_deadline = ?, status = ?, note_number = ?, communication_id = ?, convened_at = ?,"
            " updated_at = ? WHERE id = ?",
            {m.title, m.starts_on, m.ends_on, m.start_time, m.time_zone, m.place, m.online_url, m.registration_deadline, m.status,
             m.note_number, storage::opt(m.communication_id), storage::opt(m.convened_at), now, m.id});
}

void MeetingStore::set_agenda(C& c, std::int64_t meeting_id, const std::vector<AgendaItem>& agenda) {
  // Items keep their ids where they stay (decisions cite them); the others go, unless a
  // decision cites them: then they stay, after the new ones.
  std::vector<std::int64_t> kept;
  std::int64_t position = 0;
  for (const auto& item : agenda) {
    position += 10;
    if (item.id) {
      c.execute("UPDATE workplan_agenda_items SET position = ?, title = ?, kind = ?, ref = ? WHERE id = ? AND meeting_id = ?",
                {position, item.title, item.cites.kind, ref_of(item.cites), item.id, meeting_id});
      kept.push_back(item.id);
    } else {
      kept.push_back(c.insert("INSERT INTO workplan_agenda_items(meeting_id, position, title, kind, ref) VALUES (?, ?, ?, ?, ?)",
                              {meeting_id, position, item.title, item.cites.kind, ref_of(item.cites)}));
    }
  }
  for (const auto& r : c.query("SELECT id FROM workplan_agenda_items WHERE meeting_id = ?", {meeting_id})) {
    const auto id = r.integer("id");
    if (std::find(kept.begin(), kept.end(), id) != kept.end()) continue;
    if (c.query("SELECT 1 AS x FROM workplan_decisions WHERE agenda_item_id = ?", {id}).empty())
      c.execute("DELETE FROM workplan_agenda_items WHERE id = ?", {id});
    else
      c.execute("UPDATE workplan_agenda_items SET position = ? WHERE id = ?", {position += 10, id});
  }
}

std::vector<Delegate> MeetingStore::delegates(C& c, std::int64_t meeting_id) {
  std::vector<Delegate> out;
  for (const auto& r : c.query("SELECT id, state, name, function, head, attended, registered_at FROM workplan_delegates"
                               " WHERE meeting_id = ? ORDER BY state, head DESC, id",
                               {meeting_id})) {
    Delegate d{r.integer("id"), r.text("state"), r.text("name"), r.text("function"), r.boolean("head"), std::nullopt,
               r.integer("registered_at")};
    if (auto a = r.opt_integer("attended")) d.attended = *a != 0;
    out.push_back(std::move(d));
  }
  return out;
}

void MeetingStore::set_delegation(C& c, std::int64_t meeting_id, const std::string& state, const std::vector<Delegate>& members,
                                  std::int64_t by, std::int64_t now) {
  c.execute("DELETE FROM workplan_delegates WHERE meeting_id = ? AND state = ?", {meeting_id, state});
  for (const auto& d : members)
    c.execute("INSERT INTO workplan_delegates(meeting_id, state, name, function, head, registered_by, registered_at)"
              " VALUES (?, ?, ?, ?, ?, ?, ?)",
              {meeting_id, state, d.name, d.function, d.head ? 1 : 0, by, now});
}

void MeetingStore::set_attendance(C& c, std::int64_t meeting_id, const std::vector<std::int64_t>& ids) {
  c.execute("UPDATE workplan_delegates SET attended = 0 WHERE meeting_id = ?", {meeting_id});
  for (const auto id : ids) c.execute("UPDATE workplan_delegates SET attended = 1 WHERE meeting_id = ? AND id = ?", {meeting_id, id});
}

std::vector<MeetingDocument> MeetingStore::documents(C& c, std::int64_t meeting_id) {
  std::vector<MeetingDocument> out;
  for (const auto& r : c.query("SELECT contribution_id, label FROM workplan_meeting_documents WHERE meeting_id = ? ORDER BY added_at, contribution_id",
                               {meeting_id}))
    out.push_back({r.integer("contribution_id"), r.text("label")});
  return out;
}

void MeetingStore::put_document(C& c, std::int64_t meeting_id, const MeetingDocument& d, std::int64_t now) {
  c.execute("INSERT INTO workplan_meeting_documents(meeting_id, contribution_id, label, added_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (meeting_id, contribution_id) DO UPDATE SET label = excluded.label",
            {meeting_id, d.contribution_id, d.label, now});
}

std::vector<Decision> MeetingStore::decisions(C& c, std::int64_t meeting_id) {
  std::vector<Decision> out;
  for (const auto& r : c.query("SELECT id, agenda_item_id, wording, kind, ref, outcome, recorded_at FROM workplan_decisions"
                               " WHERE meeting_id = ? ORDER BY id",
                               {meeting_id}))
    out.push_back({r.integer("id"), r.opt_integer("agenda_item_id"), r.text("wording"), cited_of(r), r.text("outcome"),
                   r.integer("recorded_at")});
  return out;
}

std::int64_t MeetingStore::insert_decision(C& c, std::int64_t meeting_id, const Decision& d, std::int64_t by, std::int64_t now) {
  return c.insert("INSERT INTO workplan_decisions(meeting_id, agenda_item_id, wording, kind, ref, outcome, recorded_by, recorded_at)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  {meeting_id, storage::opt(d.agenda_item), d.wording, d.acts_on.kind, ref_of(d.acts_on), d.outcome, by, now});
}

}  // namespace parley::workplan
