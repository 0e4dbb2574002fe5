// CheckStore: the SQL of communication checks (checks, check_schedules), over a
// Connection the caller holds inside its transaction. No rules here (they are
// CheckService's, hotline/checks.h); rows in, rows out. Scopes are JSON text as stored.
// Static functions: thread-safe as the Connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace parley::hotline {

struct CheckRow {
  std::int64_t id = 0, comm_id = 0, started_at = 0;
  std::optional<std::int64_t> schedule_id;
  std::string forum, scope, started_by;
};

struct ScheduleRow {
  std::int64_t id = 0, every_days = 0, next_at = 0, created_at = 0;
  std::string forum, scope, created_by;
};

// How one addressed state answered one check: when its first person acknowledged it
// (none: it did not). The annual review's figures come from these.
struct CheckResponse {
  std::int64_t check_id = 0, started_at = 0;
  std::string state;
  std::optional<std::int64_t> first_ack_at;
};

class CheckStore {
 public:
  using C = storage::Connection;

  static std::int64_t insert_check(C& c, const std::string& forum, std::optional<std::int64_t> schedule_id,
                                   const std::string& scope, std::int64_t started_at, const std::string& started_by);
  static void set_communication(C& c, std::int64_t check_id, std::int64_t comm_id);
  static std::optional<CheckRow> check(C& c, std::int64_t id);
  static std::int64_t communication_of(C& c, std::int64_t check_id);   // the check exists
  static std::vector<std::int64_t> latest(C& c, const std::string& forum, std::int64_t limit);   // newest first

  // The forum's checks started in [from_ms, to_ms), one row per addressed state, by check.
  static std::vector<CheckResponse> responses(C& c, const std::string& forum, std::int64_t from_ms, std::int64_t to_ms);

  static std::int64_t insert_schedule(C& c, const ScheduleRow& s);
  static std::vector<ScheduleRow> active_schedules(C& c, const std::string& forum);   // in id order
  static std::optional<ScheduleRow> active_schedule(C& c, std::int64_t id);
  static void deactivate_schedule(C& c, std::int64_t id);
  static std::vector<std::int64_t> due_schedules(C& c, std::int64_t now);   // active, next_at <= now, by next_at
  // The claim of a run: moves next_at from `expected` to `next`; false when another
  // instance moved it first (PostgreSQL re-checks the WHERE).
  static bool claim_run(C& c, std::int64_t id, std::int64_t expected, std::int64_t next);
};

}  // namespace parley::hotline
