#include "workplan/activity_store.h"

#include <map>

#include <fmt/format.h>

namespace parley::workplan {

namespace {

constexpr const char* kActivityColumns =
    "id, forum, kind, title, objectives, starts_on, ends_on, venue, online, expected_participants, budget_note,"
    " concept_paper, measure_id, status, stage, proposed_by, report_summary, report_outcomes, reported_at, created_at,"
    " updated_at";

Activity activity_of(const storage::Row& r) {
  Activity a;
  a.id = r.integer("id");
  a.forum = r.text("forum");
  a.kind = r.text("kind");
  a.title = r.text("title");
  a.objectives = r.text("objectives");
  a.starts_on = r.text("starts_on");
  a.ends_on = r.text("ends_on");
  a.venue = r.text("venue");
  a.online = r.boolean("online");
  a.expected_participants = r.text("expected_participants");
  a.budget_note = r.text("budget_note");
  a.concept_paper = r.opt_integer("concept_paper");
  a.measure_id = r.opt_integer("measure_id");
  a.status = r.text("status");
  a.stage = r.integer("stage");
  a.proposed_by = r.text("proposed_by");
  a.report_summary = r.text("report_summary");
  a.report_outcomes = r.text("report_outcomes");
  a.reported_at = r.opt_integer("reported_at");
  a.created_at = r.integer("created_at");
  a.updated_at = r.integer("updated_at");
  return a;
}

void complete(ActivityStore::C& c, Activity& a) {
  for (const auto& r : c.query("SELECT state FROM workplan_activity_leads WHERE activity_id = ? ORDER BY state", {a.id}))
    a.co_leads.push_back(r.text("state"));
  for (const auto& r : c.query("SELECT state, participants FROM workplan_activity_participants WHERE activity_id = ?", {a.id}))
    a.participants[r.text("state")] = r.integer("participants");
  for (const auto& r : c.query("SELECT contribution_id FROM workplan_activity_documents WHERE activity_id = ? ORDER BY contribution_id", {a.id}))
    a.documents.push_back(r.integer("contribution_id"));
}

void set_leads(ActivityStore::C& c, const Activity& a) {
  c.execute("DELETE FROM workplan_activity_leads WHERE activity_id = ?", {a.id});
  for (const auto& s : a.co_leads) c.execute("INSERT INTO workplan_activity_leads(activity_id, state) VALUES (?, ?)", {a.id, s});
}

constexpr const char* kCapacityColumns =
    "id, forum, state, kind, title, description, language, status, matched_with, activity_id, created_at, updated_at";

CapacityEntry capacity_of(const storage::Row& r) {
  CapacityEntry e;
  e.id = r.integer("id");
  e.forum = r.text("forum");
  e.state = r.text("state");
  e.kind = r.text("kind");
  e.title = r.text("title");
  e.description = r.text("description");
  e.language = r.text("language");
  e.status = r.text("status");
  e.matched_with = r.opt_integer("matched_with");
  e.activity_id = r.opt_integer("activity_id");
  e.created_at = r.integer("created_at");
  e.updated_at = r.integer("updated_at");
  return e;
}

}  // namespace

ForumRules ActivityStore::rules(C& c, const std::string& forum) {
  ForumRules r;
  r.forum = forum;
  const auto rows = c.query("SELECT min_co_leads, co_lead_group FROM workplan_rules WHERE forum = ?", {forum});
  if (!rows.empty()) {
    r.min_co_leads = rows[0].integer("min_co_leads");
    r.co_lead_group = rows[0].text("co_lead_group");
  }
  for (const auto& s : c.query("SELECT body_id FROM workplan_approval_stages WHERE forum = ? ORDER BY position", {forum}))
    r.path.push_back(s.integer("body_id"));
  return r;
}

void ActivityStore::put_rules(C& c, const ForumRules& r, std::int64_t now) {
  c.execute("INSERT INTO workplan_rules(forum, min_co_leads, co_lead_group, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (forum) DO UPDATE SET min_co_leads = excluded.min_co_leads, co_lead_group = excluded.co_lead_group,"
            " updated_at = excluded.updated_at",
            {r.forum, r.min_co_leads, r.co_lead_group, now});
  c.execute("DELETE FROM workplan_approval_stages WHERE forum = ?", {r.forum});
  for (std::size_t i = 0; i < r.path.size(); ++i)
    c.execute("INSERT INTO workplan_approval_stages(forum, position, body_id) VALUES (?, ?, ?)",
              {r.forum, static_cast<std::int64_t>(i), r.path[i]});
}

std::vector<Activity> ActivityStore::activities(C& c, const std::string& forum, const std::string& status) {
  std::string sql = std::string("SELECT ") + kActivityColumns + " FROM workplan_activities WHERE forum = ?";
  storage::Params p{forum};
  if (!status.empty()) {
    sql += " AND status = ?";
    p.emplace_back(status);
  }
  std::vector<Activity> out;
  for (const auto& r : c.query(sql + " ORDER BY id DESC", p)) out.push_back(activity_of(r));
  // Leads, participants and documents of the forum's activities in one query each, not
  // three per activity.
  if (out.empty()) return out;
  std::map<std::int64_t, Activity*> by_id;
  for (auto& a : out) by_id[a.id] = &a;
  const auto each = [&](const char* table, const char* columns, const char* order, const auto& add) {
    const auto q = fmt::format("SELECT x.activity_id AS activity_id, {} FROM {} x JOIN workplan_activities a ON a.id = x.activity_id"
                               " WHERE a.forum = ?{} ORDER BY x.activity_id{}", columns, table, status.empty() ? "" : " AND a.status = ?", order);
    for (const auto& r : c.query(q, p))
      if (const auto it = by_id.find(r.integer("activity_id")); it != by_id.end()) add(*it->second, r);
  };
  each("workplan_activity_leads", "x.state AS state", ", x.state", [](Activity& a, const storage::Row& r) { a.co_leads.push_back(r.text("state")); });
  each("workplan_activity_participants", "x.state AS state, x.participants AS participants", "",
       [](Activity& a, const storage::Row& r) { a.participants[r.text("state")] = r.integer("participants"); });
  each("workplan_activity_documents", "x.contribution_id AS contribution_id", ", x.contribution_id",
       [](Activity& a, const storage::Row& r) { a.documents.push_back(r.integer("contribution_id")); });
  return out;
}

std::optional<Activity> ActivityStore::activity(C& c, std::int64_t id) {
  const auto rows = c.query(std::string("SELECT ") + kActivityColumns + " FROM workplan_activities WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  auto a = activity_of(rows[0]);
  complete(c, a);
  return a;
}

std::int64_t ActivityStore::insert_activity(C& c, const Activity& a, std::int64_t by, std::int64_t now) {
  auto copy = a;
  copy.id = c.insert(
      "INSERT INTO workplan_activities(forum, kind, title, objectives, starts_on, ends_on, venue, online,"
      " expected_participants, budget_note, concept_paper, measure_id, status, stage, proposed_by, created_by, created_at,"
      " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {a.forum, a.kind, a.title, a.objectives, a.starts_on, a.ends_on, a.venue, a.online ? 1 : 0, a.expected_participants,
       a.budget_note, storage::opt(a.concept_paper), storage::opt(a.measure_id), a.status, a.stage, a.proposed_by, by, now, now});
  set_leads(c, copy);
  return copy.id;
}

void ActivityStore::update_activity(C& c, const Activity& a, std::int64_t now) {
  c.execute("UPDATE workplan_activities SET kind = ?, title = ?, objectives = ?, starts_on = ?, ends_on = ?, venue = ?,"
            " online = ?, expected_participants = ?, budget_note = ?, concept_paper = ?, measure_id = ?, status = ?, stage = ?,"
            " updated_at = ? WHERE id = ?",
            {a.kind, a.title, a.objectives, a.starts_on, a.ends_on, a.venue, a.online ? 1 : 0, a.expected_participants,
             a.budget_note, storage::opt(a.concept_paper), storage::opt(a.measure_id), a.status, a.stage, now, a.id});
  set_leads(c, a);
}

void ActivityStore::set_report(C& c, const Activity& a) {
  c.execute("UPDATE workplan_activities SET report_summary = ?, report_outcomes = ?, reported_at = ? WHERE id = ?",
            {a.report_summary, a.report_outcomes, storage::opt(a.reported_at), a.id});
  c.execute("DELETE FROM workplan_activity_participants WHERE activity_id = ?", {a.id});
  for (const auto& [state, n] : a.participants)
    c.execute("INSERT INTO workplan_activity_participants(activity_id, state, participants) VALUES (?, ?, ?)", {a.id, state, n});
  c.execute("DELETE FROM workplan_activity_documents WHERE activity_id = ?", {a.id});
  for (const auto d : a.documents)
    c.execute("INSERT INTO workplan_activity_documents(activity_id, contribution_id) VALUES (?, ?)", {a.id, d});
}

std::vector<Stage> ActivityStore::stages(C& c, std::int64_t activity_id) {
  std::vector<Stage> out;
  for (const auto& r : c.query(
           "SELECT id, position, body_id, outcome, comments, meeting_id, decision_id, silence_started_by, silence_started_at,"
           " silence_deadline, silence_broken_state, silence_broken_by, silence_broken_at, silence_reason, decided_at"
           " FROM workplan_activity_stages WHERE activity_id = ? ORDER BY id",
           {activity_id})) {
    Stage s;
    s.id = r.integer("id");
    s.position = r.integer("position");
    s.body_id = r.integer("body_id");
    s.outcome = r.text("outcome");
    s.comments = r.text("comments");
    s.meeting_id = r.opt_integer("meeting_id");
    s.decision_id = r.opt_integer("decision_id");
    if (const auto started = r.opt_integer("silence_started_at")) {
      negotiation::SilenceRow silence;
      silence.id = s.id;
      silence.started_by = r.text("silence_started_by");
      silence.started_at = *started;
      silence.deadline = r.integer("silence_deadline");
      silence.broken_state = r.text("silence_broken_state");
      silence.broken_by = r.text("silence_broken_by");
      silence.broken_at = r.opt_integer("silence_broken_at");
      silence.reason = r.text("silence_reason");
      s.silence = silence;
    }
    s.decided_at = r.opt_integer("decided_at");
    out.push_back(std::move(s));
  }
  return out;
}

std::int64_t ActivityStore::insert_stage(C& c, std::int64_t activity_id, const Stage& s) {
  return c.insert("INSERT INTO workplan_activity_stages(activity_id, position, body_id) VALUES (?, ?, ?)",
                  {activity_id, s.position, s.body_id});
}

void ActivityStore::update_stage(C& c, const Stage& s) {
  const auto& q = s.silence;
  c.execute("UPDATE workplan_activity_stages SET outcome = ?, comments = ?, meeting_id = ?, decision_id = ?,"
            " silence_started_by = ?, silence_started_at = ?, silence_deadline = ?, silence_broken_state = ?,"
            " silence_broken_by = ?, silence_broken_at = ?, silence_reason = ?, decided_at = ? WHERE id = ?",
            {s.outcome, s.comments, storage::opt(s.meeting_id), storage::opt(s.decision_id), q ? q->started_by : "",
             q ? storage::Value(q->started_at) : storage::Value(), q ? storage::Value(q->deadline) : storage::Value(),
             q ? q->broken_state : "", q ? q->broken_by : "", q ? storage::opt(q->broken_at) : storage::Value(),
             q ? q->reason : "", storage::opt(s.decided_at), s.id});
}

std::vector<CapacityEntry> ActivityStore::capacity(C& c, const std::string& forum, const std::string& kind, const std::string& state) {
  std::string sql = std::string("SELECT ") + kCapacityColumns + " FROM workplan_capacity WHERE forum = ?";
  storage::Params p{forum};
  if (!kind.empty()) {
    sql += " AND kind = ?";
    p.emplace_back(kind);
  }
  if (!state.empty()) {
    sql += " AND state = ?";
    p.emplace_back(state);
  }
  std::vector<CapacityEntry> out;
  for (const auto& r : c.query(sql + " ORDER BY id DESC", p)) out.push_back(capacity_of(r));
  return out;
}

std::optional<CapacityEntry> ActivityStore::capacity_entry(C& c, std::int64_t id) {
  const auto rows = c.query(std::string("SELECT ") + kCapacityColumns + " FROM workplan_capacity WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return capacity_of(rows[0]);
}

std::int64_t ActivityStore::insert_capacity(C& c, const CapacityEntry& e, std::int64_t by, std::int64_t now) {
  return c.insert("INSERT INTO workplan_capacity(forum, state, kind, title, description, language, status, created_by,"
                  " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  {e.forum, e.state, e.kind, e.title, e.description, e.language, e.status, by, now, now});
}

void ActivityStore::update_capacity(C& c, const CapacityEntry& e, std::int64_t now) {
  c.execute("UPDATE workplan_capacity SET status = ?, matched_with = ?, activity_id = ?, updated_at = ? WHERE id = ?",
            {e.status, storage::opt(e.matched_with), storage::opt(e.activity_id), now, e.id});
}

std::vector<CapacityEntry> ActivityStore::capacity_of_activity(C& c, std::int64_t activity_id) {
  std::vector<CapacityEntry> out;
  for (const auto& r : c.query(std::string("SELECT ") + kCapacityColumns + " FROM workplan_capacity WHERE activity_id = ? ORDER BY id",
                               {activity_id}))
    out.push_back(capacity_of(r));
  return out;
}

}  // namespace parley::workplan
