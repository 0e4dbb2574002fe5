// CourseStore: the SQL of a communication's course once it is written: the claim of its
// announcement, the escalation of recipient states that do not acknowledge, and the
// closing of its thread (communications, comm_recipients). Over a Connection the caller
// holds inside its transaction; the rules (who escalates to whom, when) are
// HotlineService's. Claims are conditional updates, so that with several instances a
// step is taken once. Static functions: thread-safe as the Connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace parley::hotline {

struct DueEscalation {
  std::int64_t comm_id = 0;
  std::string state;
};

struct EscalationState {
  int level = 0;
  std::optional<std::int64_t> next_at, acked_at;
};

class CourseStore {
 public:
  using C = storage::Connection;

  // Communications not yet announced, oldest first; claim_announcement() is true for the
  // one caller that marks it announced.
  static std::vector<std::int64_t> unannounced(C& c, std::int64_t limit);
  static bool claim_announcement(C& c, std::int64_t comm_id, std::int64_t at);

  // Recipient states of open communications whose escalation is due at `now`, soonest first.
  static std::vector<DueEscalation> due_escalations(C& c, std::int64_t now, std::int64_t limit);
  static std::optional<EscalationState> escalation(C& c, std::int64_t comm_id, const std::string& state);
  // The claim of a step: true only if the row is still unacknowledged at `level` and
  // `next_at` (its next escalation is cleared until set_escalation()).
  static bool claim_escalation(C& c, std::int64_t comm_id, const std::string& state, int level, std::int64_t next_at);
  static void set_escalation(C& c, std::int64_t comm_id, const std::string& state, int level,
                             std::optional<std::int64_t> next_at);

  // Closes every open communication of the thread and stops their escalations.
  static void close_thread(C& c, std::int64_t thread_id, const std::string& by, std::int64_t at);
};

}  // namespace parley::hotline
