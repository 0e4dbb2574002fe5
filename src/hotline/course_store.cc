#include "hotline/course_store.h"

namespace parley::hotline {

std::vector<std::int64_t> CourseStore::unannounced(C& c, std::int64_t limit) {
  std::vector<std::int64_t> out;
  for (const auto& r : c.query("SELECT id FROM communications WHERE announced_at IS NULL ORDER BY id LIMIT ?", {limit}))
    out.push_back(r.integer("id"));
  return out;
}

bool CourseStore::claim_announcement(C& c, std::int64_t comm_id, std::int64_t at) {
  return c.execute("UPDATE communications SET announced_at = ? WHERE id = ? AND announced_at IS NULL", {at, comm_id}) ==
         1;
}

std::vector<DueEscalation> CourseStore::due_escalations(C& c, std::int64_t now, std::int64_t limit) {
  std::vector<DueEscalation> out;
  for (const auto& r : c.query("SELECT r.comm_id, r.state FROM comm_recipients r JOIN communications c "
                               "ON c.id = r.comm_id WHERE r.next_escalation_at IS NOT NULL AND "
                               "r.next_escalation_at <= ? AND r.acked_at IS NULL AND c.closed_at IS NULL "
                               "ORDER BY r.next_escalation_at LIMIT ?",
                               {now, limit}))
    out.push_back({r.integer("comm_id"), r.text("state")});
  return out;
}

std::optional<EscalationState> CourseStore::escalation(C& c, std::int64_t comm_id, const std::string& state) {
  const auto rows = c.query("SELECT escalation_level, next_escalation_at, acked_at FROM comm_recipients "
                            "WHERE comm_id = ? AND state = ?",
                            {comm_id, state});
  if (rows.empty()) return std::nullopt;
  return EscalationState{static_cast<int>(rows[0].integer("escalation_level")), rows[0].opt_integer("next_escalation_at"),
                         rows[0].opt_integer("acked_at")};
}

bool CourseStore::claim_escalation(C& c, std::int64_t comm_id, const std::string& state, int level,
                                   std::int64_t next_at) {
  return c.execute("UPDATE comm_recipients SET next_escalation_at = NULL WHERE comm_id = ? AND state = ? AND "
                   "acked_at IS NULL AND escalation_level = ? AND next_escalation_at = ?",
                   {comm_id, state, static_cast<std::int64_t>(level), next_at}) == 1;
}

void CourseStore::set_escalation(C& c, std::int64_t comm_id, const std::string& state, int level,
                                 std::optional<std::int64_t> next_at) {
  c.execute("UPDATE comm_recipients SET escalation_level = ?, next_escalation_at = ? WHERE comm_id = ? AND state = ?",
            {static_cast<std::int64_t>(level), next_at ? storage::Value(*next_at) : storage::null(), comm_id, state});
}

void CourseStore::close_thread(C& c, std::int64_t thread_id, const std::string& by, std::int64_t at) {
  c.execute("UPDATE communications SET closed_at = ?, closed_by = ? WHERE thread_id = ? AND closed_at IS NULL",
            {at, by, thread_id});
  c.execute("UPDATE comm_recipients SET next_escalation_at = NULL WHERE comm_id IN "
            "(SELECT id FROM communications WHERE thread_id = ?)",
            {thread_id});
}

}  // namespace parley::hotline
