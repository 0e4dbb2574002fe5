// The measures' and implementation reports' SQL: static functions on a Connection, run
// inside the caller's transaction; the same SQL on SQLite and PostgreSQL.
// Thread-safety: that of the Connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"
#include "workplan/model.h"

namespace parley::workplan {

class MeasureStore {
 public:
  using C = storage::Connection;

  // The forum's catalogue, in its order (position, then code), with coordinators.
  static std::vector<Measure> measures(C& c, const std::string& forum);
  static std::optional<Measure> measure(C& c, std::int64_t id);
  static std::optional<std::int64_t> find(C& c, const std::string& forum, const std::string& code);
  static std::int64_t next_position(C& c, const std::string& forum);

  static std::int64_t insert_measure(C& c, const Measure& m, std::int64_t by, std::int64_t now);
  static void update_measure(C& c, const Measure& m, std::int64_t now);
  static void set_coordinators(C& c, std::int64_t measure_id, const std::vector<std::string>& coordinators,
                               const std::vector<std::string>& co_coordinators);

  static std::int64_t insert_report(C& c, const Report& r);
  // A measure's reports (one state's when `state` is not empty), newest first: by the
  // day they speak for, then by when they were made.
  static std::vector<Report> reports(C& c, std::int64_t measure_id, const std::string& state);
  // Every report on the forum's measures speaking for a day up to `until` (all when
  // empty), of one state when `state` is not empty, oldest first.
  static std::vector<Report> forum_reports(C& c, const std::string& forum, const std::string& state,
                                           const std::string& until);
  // What the matrix shows as of `until` (every day when empty): each state's latest report on each of the
  // forum's measures (by the day it speaks for, then the last made), without evidence.
  // Chosen in SQL, on the index on (measure, state, day, id), rather than by reading and
  // keeping every report: a forum's years of reports outnumber its cells many times.
  static std::vector<Report> latest_reports(C& c, const std::string& forum, const std::string& until);
};

}  // namespace parley::workplan
