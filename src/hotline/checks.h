// CheckService: communication checks ("ping tests") of a forum's points of contact.
//
// A check is one communication of type "check" addressed person by person to the
// points of contact in scope (all member states, chosen states or chosen people, and
// one kind of contact or all: see addressing.h — directory contacts with accounts,
// active and valid on the day), each
// of whom acknowledges it with one click. The report gives, per state and per person,
// reached / acknowledged / time to acknowledge, and forum-wide the response rate, the
// median and the 90th percentile, with the forum's earlier checks for the trend.
// Checks may recur on a schedule (every N days), run by the hotline scheduler.
// Started and read by the forum's secretariat or the platform admin (and the CLI).
// Thread-safe: no mutable state of its own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "hotline/hotline_service.h"

namespace parley::hotline {

struct CheckScope {
  std::vector<std::string> states;     // empty: every member state
  std::vector<std::string> contacts;   // contact ids (digits) or usernames; when set, exactly these people
  std::string kind = "all";            // policy | technical | law_enforcement | all
};

// Forum-wide figures from the seconds-to-acknowledge of each person (nullopt: not
// acknowledged). Median: the middle value, or the mean of the two middle values;
// p90: nearest rank (the ceil(0.9 n)-th smallest).
struct CheckFigures {
  std::int64_t people = 0, acknowledged = 0;
  double response_rate = 0;   // acknowledged / people, 0..1
  std::optional<double> median_seconds, p90_seconds;
  static CheckFigures compute(const std::vector<std::optional<double>>& seconds);
  nlohmann::json to_json() const;
};

class CheckService {
 public:
  explicit CheckService(HotlineService& hotline) : hotline_(hotline), db_(hotline.db()) {}

  // Starts a check now; with `every_days`, also schedules it to recur.
  nlohmann::json start(const auth::Principal& who, const std::string& forum, const CheckScope& scope,
                       std::optional<int> every_days);
  // The CLI's form (actor "cli"); the running server announces it within a second.
  std::int64_t start_as_operator(const std::string& forum, const CheckScope& scope);

  nlohmann::json report(const auth::Principal* who, std::int64_t id);   // nullptr: operator (CLI)
  std::string report_csv(const auth::Principal* who, std::int64_t id);
  nlohmann::json history(const auth::Principal& who, const std::string& forum);

  nlohmann::json schedules(const auth::Principal& who, const std::string& forum);
  void cancel_schedule(const auth::Principal& who, std::int64_t id);
  // Starts the checks whose schedule is due; returns how many.
  int run_schedules();

 private:
  std::int64_t start_in(storage::Connection& c, const std::string& actor, const std::string& forum,
                        const CheckScope& scope, std::optional<std::int64_t> schedule_id, bool announce_now);
  void require_runner(storage::Connection& c, const auth::Principal* who, const std::string& forum);

  HotlineService& hotline_;
  storage::Database& db_;
};

}  // namespace parley::hotline
