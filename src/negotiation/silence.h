// A silence procedure: a text (a revision of a draft, a stage of an activity's approval)
// is considered agreed unless a member state breaks silence before the deadline. The
// value and its state machine, shared by the negotiation's drafts and the work plan's
// approval stages (which store it in rows of their own). Values only; thread-safe to copy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace parley::negotiation {

struct SilenceRow {
  std::int64_t id = 0;
  std::int64_t revision = 0;   // a draft's revision; unused elsewhere
  std::string started_by;
  std::int64_t started_at = 0, deadline = 0;
  std::string broken_state, broken_by, reason;
  std::optional<std::int64_t> broken_at;
  // running | broken | held (the deadline passed unbroken)
  std::string status(std::int64_t now_ms) const;
  nlohmann::json to_json(std::int64_t now_ms) const;
};

// The longest a silence procedure may run, and the check of a deadline against now:
// nullopt when acceptable, else the reason.
inline constexpr std::int64_t kMaxSilenceMs = 90LL * 86400 * 1000;
std::optional<std::string> silence_deadline_problem(std::int64_t deadline_ms, std::int64_t now_ms);

}  // namespace parley::negotiation
