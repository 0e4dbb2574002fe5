#include "hotline/check_store.h"

namespace parley::hotline {

namespace {

constexpr const char* kScheduleColumns = "id, forum, every_days, next_at, scope, created_by, created_at";

ScheduleRow schedule_from(const storage::Row& r) {
  return {r.integer("id"),     r.integer("every_days"), r.integer("next_at"), r.integer("created_at"),
          r.text("forum"),     r.text("scope"),         r.text("created_by")};
}

}  // namespace

std::int64_t CheckStore::insert_check(C& c, const std::string& forum, std::optional<std::int64_t> schedule_id,
                                      const std::string& scope, std::int64_t started_at, const std::string& started_by) {
  return c.insert("INSERT INTO checks (forum, schedule_id, scope, started_at, started_by) VALUES (?, ?, ?, ?, ?)",
                  {forum, storage::opt(schedule_id), scope, started_at, started_by});
}

void CheckStore::set_communication(C& c, std::int64_t check_id, std::int64_t comm_id) {
  c.execute("UPDATE checks SET comm_id = ? WHERE id = ?", {comm_id, check_id});
}

std::optional<CheckRow> CheckStore::check(C& c, std::int64_t id) {
  auto rows = c.query("SELECT id, forum, comm_id, schedule_id, scope, started_at, started_by FROM checks WHERE id = ?",
                      {id});
  if (rows.empty()) return std::nullopt;
  const auto& r = rows[0];
  CheckRow x;
  x.id = r.integer("id");
  x.comm_id = r.integer("comm_id");
  x.started_at = r.integer("started_at");
  x.schedule_id = r.opt_integer("schedule_id");
  x.forum = r.text("forum");
  x.scope = r.text("scope");
  x.started_by = r.text("started_by");
  return x;
}

std::int64_t CheckStore::communication_of(C& c, std::int64_t check_id) {
  return c.query("SELECT comm_id FROM checks WHERE id = ?", {check_id}).at(0).integer("comm_id");
}

std::vector<std::int64_t> CheckStore::latest(C& c, const std::string& forum, std::int64_t limit) {
  std::vector<std::int64_t> out;
  for (const auto& r : c.query("SELECT id FROM checks WHERE forum = ? ORDER BY id DESC LIMIT ?", {forum, limit}))
    out.push_back(r.integer("id"));
  return out;
}

std::int64_t CheckStore::insert_schedule(C& c, const ScheduleRow& s) {
  return c.insert("INSERT INTO check_schedules (forum, every_days, next_at, scope, created_by, created_at) "
                  "VALUES (?, ?, ?, ?, ?, ?)",
                  {s.forum, s.every_days, s.next_at, s.scope, s.created_by, s.created_at});
}

std::vector<ScheduleRow> CheckStore::active_schedules(C& c, const std::string& forum) {
  std::vector<ScheduleRow> out;
  for (const auto& r : c.query(std::string("SELECT ") + kScheduleColumns +
                                   " FROM check_schedules WHERE forum = ? AND active = 1 ORDER BY id",
                               {forum}))
    out.push_back(schedule_from(r));
  return out;
}

std::optional<ScheduleRow> CheckStore::active_schedule(C& c, std::int64_t id) {
  auto rows = c.query(std::string("SELECT ") + kScheduleColumns + " FROM check_schedules WHERE id = ? AND active = 1",
                      {id});
  if (rows.empty()) return std::nullopt;
  return schedule_from(rows[0]);
}

void CheckStore::deactivate_schedule(C& c, std::int64_t id) {
  c.execute("UPDATE check_schedules SET active = 0 WHERE id = ?", {id});
}

std::vector<std::int64_t> CheckStore::due_schedules(C& c, std::int64_t now) {
  std::vector<std::int64_t> out;
  for (const auto& r :
       c.query("SELECT id FROM check_schedules WHERE active = 1 AND next_at <= ? ORDER BY next_at", {now}))
    out.push_back(r.integer("id"));
  return out;
}

bool CheckStore::claim_run(C& c, std::int64_t id, std::int64_t expected, std::int64_t next) {
  return c.execute("UPDATE check_schedules SET next_at = ? WHERE id = ? AND next_at = ?", {next, id, expected}) == 1;
}

std::vector<CheckResponse> CheckStore::responses(C& c, const std::string& forum, std::int64_t from_ms, std::int64_t to_ms) {
  std::vector<CheckResponse> out;
  for (const auto& r : c.query(
           "SELECT k.id AS check_id, k.started_at, r.state,"
           " (SELECT MIN(x.acked_at) FROM comm_contacts x WHERE x.comm_id = k.comm_id AND x.state = r.state"
           "   AND x.reason IN ('recipient', 'named')) AS first_ack_at"
           " FROM checks k JOIN comm_recipients r ON r.comm_id = k.comm_id"
           " WHERE k.forum = ? AND k.started_at >= ? AND k.started_at < ? ORDER BY k.id, r.state",
           {forum, from_ms, to_ms}))
    out.push_back({r.integer("check_id"), r.integer("started_at"), r.text("state"), r.opt_integer("first_ack_at")});
  return out;
}

}  // namespace parley::hotline
