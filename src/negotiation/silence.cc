#include "negotiation/silence.h"

#include "common/time.h"

namespace parley::negotiation {

std::string SilenceRow::status(std::int64_t now_ms) const {
  if (broken_at) return "broken";
  return now_ms >= deadline ? "held" : "running";
}

nlohmann::json SilenceRow::to_json(std::int64_t now_ms) const {
  const auto st = status(now_ms);
  nlohmann::json j = {{"id", id},
                      {"revision", revision},
                      {"status", st},
                      {"started_by", started_by},
                      {"started_at", rfc3339_from_ms(started_at)},
                      {"deadline", rfc3339_from_ms(deadline)},
                      {"remaining_seconds", st == "running" ? (deadline - now_ms + 999) / 1000 : 0}};
  if (broken_at) {
    j["broken"] = {{"state", broken_state}, {"by", broken_by}, {"at", rfc3339_from_ms(*broken_at)}, {"reason", reason}};
  }
  return j;
}

std::optional<std::string> silence_deadline_problem(std::int64_t deadline_ms, std::int64_t now_ms) {
  if (deadline_ms <= now_ms) return "must be in the future";
  if (deadline_ms > now_ms + kMaxSilenceMs) return "must be within 90 days";
  return std::nullopt;
}

}  // namespace parley::negotiation
