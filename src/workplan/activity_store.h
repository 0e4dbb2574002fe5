// The activities', forum rules' and capacity entries' SQL: static functions on a
// Connection, run inside the caller's transaction; the same SQL on SQLite and PostgreSQL.
// Thread-safety: that of the Connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"
#include "workplan/activity_model.h"

namespace parley::workplan {

class ActivityStore {
 public:
  using C = storage::Connection;

  static ForumRules rules(C& c, const std::string& forum);
  static void put_rules(C& c, const ForumRules& r, std::int64_t now);

  // The forum's activities (of one status when given), newest first.
  static std::vector<Activity> activities(C& c, const std::string& forum, const std::string& status);
  static std::optional<Activity> activity(C& c, std::int64_t id);
  static std::int64_t insert_activity(C& c, const Activity& a, std::int64_t by, std::int64_t now);
  // Everything but the report's participants and documents.
  static void update_activity(C& c, const Activity& a, std::int64_t now);
  static void set_report(C& c, const Activity& a);

  static std::vector<Stage> stages(C& c, std::int64_t activity_id);
  static std::int64_t insert_stage(C& c, std::int64_t activity_id, const Stage& s);
  static void update_stage(C& c, const Stage& s);

  static std::vector<CapacityEntry> capacity(C& c, const std::string& forum, const std::string& kind, const std::string& state);
  static std::optional<CapacityEntry> capacity_entry(C& c, std::int64_t id);
  static std::int64_t insert_capacity(C& c, const CapacityEntry& e, std::int64_t by, std::int64_t now);
  static void update_capacity(C& c, const CapacityEntry& e, std::int64_t now);
  // The entries matched into an activity.
  static std::vector<CapacityEntry> capacity_of_activity(C& c, std::int64_t activity_id);
};

}  // namespace parley::workplan
