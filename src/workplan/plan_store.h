// The work plan's versions' SQL (workplan_plans): static functions on a Connection, run
// inside the caller's transaction; the same SQL on SQLite and PostgreSQL.
// Thread-safety: that of the Connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace parley::workplan {

// One version of a forum's work plan. A draft shows the plan as it stands; once
// circulated, `content` holds the document as circulated (plan_json) and never changes.
struct PlanVersion {
  std::int64_t id = 0;
  std::string forum;
  std::int64_t version = 0;
  std::string title, period_from, period_to, introduction;
  std::string status = "draft";   // draft | circulated
  std::string content;            // JSON, circulated versions only
  std::string content_sha256;
  std::string note_number;
  std::optional<std::int64_t> communication_id, circulated_at;
  std::int64_t created_at = 0, updated_at = 0;
};

class PlanStore {
 public:
  using C = storage::Connection;

  static std::vector<PlanVersion> versions(C& c, const std::string& forum);   // newest first, without content
  static std::optional<PlanVersion> version(C& c, std::int64_t id);
  // The forum's last circulated version before `version` (0: the last of all).
  static std::optional<PlanVersion> previous_circulated(C& c, const std::string& forum, std::int64_t version);
  static std::optional<std::int64_t> draft_of(C& c, const std::string& forum);
  static std::int64_t next_version(C& c, const std::string& forum);
  static std::int64_t insert(C& c, const PlanVersion& p, std::int64_t by, std::int64_t now);
  static void update(C& c, const PlanVersion& p, std::int64_t now);   // a draft's fields
  static void circulate(C& c, const PlanVersion& p, std::int64_t by, std::int64_t now);
  static void set_communication(C& c, std::int64_t id, std::int64_t communication_id);
  static void remove_draft(C& c, std::int64_t id);
};

}  // namespace parley::workplan
