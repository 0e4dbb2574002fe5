#include "workplan/measure_store.h"

#include <algorithm>
#include <map>

namespace parley::workplan {

namespace {

constexpr const char* kMeasureColumns =
    "id, forum, code, title, description, period_from, period_to, position, created_at, updated_at";

Measure measure_of(const storage::Row& r) {
  Measure m;
  m.id = r.integer("id");
  m.forum = r.text("forum");
  m.code = r.text("code");
  m.title = r.text("title");
  m.description = r.text("description");
  m.period_from = r.text("period_from");
  m.period_to = r.text("period_to");
  m.position = r.integer("position");
  m.created_at = r.integer("created_at");
  m.updated_at = r.integer("updated_at");
  return m;
}

void add_coordinators(MeasureStore::C& c, std::vector<Measure>& ms, const std::string& forum) {
  std::map<std::int64_t, Measure*> by_id;
  for (auto& m : ms) by_id[m.id] = &m;
  const auto rows = forum.empty()
      ? c.query("SELECT measure_id, state, role FROM workplan_measure_coordinators WHERE measure_id = ? ORDER BY state",
                {ms.empty() ? 0 : ms.front().id})
      : c.query("SELECT k.measure_id, k.state, k.role FROM workplan_measure_coordinators k"
                " JOIN workplan_measures m ON m.id = k.measure_id WHERE m.forum = ? ORDER BY k.state",
                {forum});
  for (const auto& r : rows) {
    auto it = by_id.find(r.integer("measure_id"));
    if (it == by_id.end()) continue;
    (r.text("role") == "coordinator" ? it->second->coordinators : it->second->co_coordinators).push_back(r.text("state"));
  }
}

Report report_of(const storage::Row& r) {
  Report x;
  x.id = r.integer("id");
  x.measure_id = r.integer("measure_id");
  x.state = r.text("state");
  x.status = r.text("status");
  x.note = r.text("note");
  x.as_of = r.text("as_of");
  x.reported_by = r.integer("reported_by");
  x.reported_at = r.integer("reported_at");
  return x;
}

// The evidence of these reports, in one query per 64 reports.
void add_evidence(MeasureStore::C& c, std::vector<Report>& reports) {
  constexpr std::size_t kChunk = 64;
  std::map<std::int64_t, Report*> by_id;
  for (auto& r : reports) by_id[r.id] = &r;
  for (std::size_t i = 0; i < reports.size(); i += kChunk) {
    const auto n = std::min(kChunk, reports.size() - i);
    std::string sql = "SELECT report_id, kind, ref FROM workplan_report_evidence WHERE report_id IN (";
    storage::Params params;
    for (std::size_t k = 0; k < n; ++k) {
      sql += k ? ", ?" : "?";
      params.emplace_back(reports[i + k].id);
    }
    for (const auto& r : c.query(sql + ") ORDER BY report_id, kind, ref", params))
      by_id[r.integer("report_id")]->evidence.push_back({r.text("kind"), r.integer("ref")});
  }
}

}  // namespace

std::vector<Measure> MeasureStore::measures(C& c, const std::string& forum) {
  std::vector<Measure> out;
  for (const auto& r : c.query(std::string("SELECT ") + kMeasureColumns +
                                   " FROM workplan_measures WHERE forum = ? ORDER BY position, code, id",
                               {forum}))
    out.push_back(measure_of(r));
  add_coordinators(c, out, forum);
  return out;
}

std::optional<Measure> MeasureStore::measure(C& c, std::int64_t id) {
  const auto rows = c.query(std::string("SELECT ") + kMeasureColumns + " FROM workplan_measures WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  std::vector<Measure> one{measure_of(rows[0])};
  add_coordinators(c, one, "");
  return one.front();
}

std::optional<std::int64_t> MeasureStore::find(C& c, const std::string& forum, const std::string& code) {
  const auto rows = c.query("SELECT id FROM workplan_measures WHERE forum = ? AND code = ?", {forum, code});
  if (rows.empty()) return std::nullopt;
  return rows[0].integer("id");
}

std::int64_t MeasureStore::next_position(C& c, const std::string& forum) {
  const auto rows = c.query("SELECT COALESCE(MAX(position), 0) AS p FROM workplan_measures WHERE forum = ?", {forum});
  return rows.at(0).integer("p") + 10;
}

std::int64_t MeasureStore::insert_measure(C& c, const Measure& m, std::int64_t by, std::int64_t now) {
  const auto id = c.insert(
      "INSERT INTO workplan_measures(forum, code, title, description, period_from, period_to, position,"
      " created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {m.forum, m.code, m.title, m.description, m.period_from, m.period_to, m.position, by, now, now});
  set_coordinators(c, id, m.coordinators, m.co_coordinators);
  return id;
}

void MeasureStore::update_measure(C& c, const Measure& m, std::int64_t now) {
  c.execute("UPDATE workplan_measures SET code = ?, title = ?, description = ?, period_from = ?, period_to = ?,"
            " position = ?, updated_at = ? WHERE id = ?",
            {m.code, m.title, m.description, m.period_from, m.period_to, m.position, now, m.id});
}

void MeasureStore::set_coordinators(C& c, std::int64_t measure_id, const std::vector<std::string>& coordinators,
                                    const std::vector<std::string>& co_coordinators) {
  c.execute("DELETE FROM workplan_measure_coordinators WHERE measure_id = ?", {measure_id});
  for (const auto& s : coordinators)
    c.execute("INSERT INTO workplan_measure_coordinators(measure_id, state, role) VALUES (?, ?, 'coordinator')",
              {measure_id, s});
  for (const auto& s : co_coordinators)
    c.execute("INSERT INTO workplan_measure_coordinators(measure_id, state, role) VALUES (?, ?, 'co-coordinator')",
              {measure_id, s});
}

std::int64_t MeasureStore::insert_report(C& c, const Report& r) {
  const auto id = c.insert(
      "INSERT INTO workplan_reports(measure_id, state, status, note, as_of, reported_by, reported_at)"
      " VALUES (?, ?, ?, ?, ?, ?, ?)",
      {r.measure_id, r.state, r.status, r.note, r.as_of, r.reported_by, r.reported_at});
  for (const auto& e : r.evidence)
    c.execute("INSERT INTO workplan_report_evidence(report_id, kind, ref) VALUES (?, ?, ?)", {id, e.kind, e.id});
  return id;
}

std::vector<Report> MeasureStore::reports(C& c, std::int64_t measure_id, const std::string& state) {
  std::vector<Report> out;
  std::string sql =
      "SELECT id, measure_id, state, status, note, as_of, reported_by, reported_at FROM workplan_reports"
      " WHERE measure_id = ?";
  storage::Params params{measure_id};
  if (!state.empty()) {
    sql += " AND state = ?";
    params.emplace_back(state);
  }
  for (const auto& r : c.query(sql + " ORDER BY as_of DESC, id DESC", params)) out.push_back(report_of(r));
  add_evidence(c, out);
  return out;
}

std::vector<Report> MeasureStore::forum_reports(C& c, const std::string& forum, const std::string& state,
                                                const std::string& until) {
  std::vector<Report> out;
  std::string sql =
      "SELECT r.id, r.measure_id, r.state, r.status, r.note, r.as_of, r.reported_by, r.reported_at"
      " FROM workplan_reports r JOIN workplan_measures m ON m.id = r.measure_id WHERE m.forum = ?";
  storage::Params params{forum};
  if (!state.empty()) {
    sql += " AND r.state = ?";
    params.emplace_back(state);
  }
  if (!until.empty()) {
    sql += " AND r.as_of <= ?";
    params.emplace_back(until);
  }
  for (const auto& r : c.query(sql + " ORDER BY r.as_of, r.id", params)) out.push_back(report_of(r));
  add_evidence(c, out);
  return out;
}

std::vector<Report> MeasureStore::latest_reports(C& c, const std::string& forum, const std::string& until) {
  std::vector<Report> out;
  // Each cell that has reports (measure, state), then its latest by one probe of the
  // index read backwards: as many probes as cells, and no sort of the forum's reports.
  // bench/workplan.mjs, 912 cells and 10,944 reports, the matrix's median: reading every
  // report 25 ms on SQLite and 43 ms on PostgreSQL; a window over them 26 and 19 ms; a
  // probe per report 10 and 38 ms; this 6 and 18 ms.
  for (const auto& r : c.query(
           "SELECT r.id, r.measure_id, r.state, r.status, r.note, r.as_of, r.reported_by, r.reported_at"
           " FROM (SELECT DISTINCT x.measure_id, x.state FROM workplan_reports x JOIN workplan_measures m"
           "  ON m.id = x.measure_id WHERE m.forum = ?) cell"
           " JOIN workplan_reports r ON r.id = (SELECT l.id FROM workplan_reports l WHERE l.measure_id = cell.measure_id"
           "  AND l.state = cell.state AND l.as_of <= ? ORDER BY l.as_of DESC, l.id DESC LIMIT 1)"
           " ORDER BY r.as_of, r.id",
           {forum, until.empty() ? std::string("9999-12-31") : until}))   // empty: no limit, as in forum_reports
    out.push_back(report_of(r));
  return out;
}

}  // namespace parley::workplan
