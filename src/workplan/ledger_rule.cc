#include "workplan/ledger_rule.h"

#include <charconv>
#include <optional>

#include "workplan/access.h"
#include "workplan/activity_store.h"
#include "workplan/measure_store.h"
#include "workplan/meeting_store.h"

namespace parley::workplan {

namespace {

// The id in "<kind>:<id>", when the entry's object is one.
std::optional<std::int64_t> id_of(const storage::JournalEntry& e, std::string_view kind) {
  if (e.object.size() <= kind.size() || e.object.compare(0, kind.size(), kind) != 0 || e.object[kind.size()] != ':')
    return std::nullopt;
  std::int64_t id = 0;
  const auto* begin = e.object.data() + kind.size() + 1;
  const auto* end = e.object.data() + e.object.size();
  if (std::from_chars(begin, end, id).ptr != end) return std::nullopt;
  return id;
}

bool forum_reader(storage::Connection& c, const auth::Principal& who, const std::optional<std::string>& forum) {
  return forum && can_read_workplan(library::reader_of(c, who), *forum);
}

}  // namespace

bool may_read_measure_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e) {
  const auto id = id_of(e, "measure");
  if (!id) return false;
  const auto m = MeasureStore::measure(c, *id);
  return forum_reader(c, who, m ? std::optional(m->forum) : std::nullopt);
}

bool may_read_body_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e) {
  const auto id = id_of(e, "body");
  if (!id) return false;
  const auto b = MeetingStore::body(c, *id);
  return forum_reader(c, who, b ? std::optional(b->forum) : std::nullopt);
}

bool may_read_meeting_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e) {
  const auto id = id_of(e, "meeting");
  if (!id) return false;
  const auto m = MeetingStore::meeting(c, *id);
  return forum_reader(c, who, m ? std::optional(m->forum) : std::nullopt);
}

bool may_read_activity_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e) {
  const auto id = id_of(e, "activity");
  if (!id) return false;
  const auto a = ActivityStore::activity(c, *id);
  return forum_reader(c, who, a ? std::optional(a->forum) : std::nullopt);
}

bool may_read_capacity_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e) {
  const auto id = id_of(e, "capacity");
  if (!id) return false;
  const auto x = ActivityStore::capacity_entry(c, *id);
  return forum_reader(c, who, x ? std::optional(x->forum) : std::nullopt);
}

// A version of the work plan, judged by the forum its entry records (a discarded draft's
// row is gone): its circulation is read by the forum's people, its drafting by the
// forum's secretariat.
bool may_read_plan_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e) {
  if (!id_of(e, "plan")) return false;
  const auto change = nlohmann::json::parse(e.change, nullptr, false);
  if (!change.is_object() || !change.contains("forum") || !change["forum"].is_string()) return false;
  const auto forum = change["forum"].get<std::string>();
  const auto r = library::reader_of(c, who);
  if (!can_read_workplan(r, forum)) return false;
  return e.action == "workplan.plan.circulated" || library::forum_secretariat(r, forum);
}

bool may_read_rules_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e) {
  constexpr std::string_view kPrefix = "rules:";
  if (e.object.rfind(kPrefix, 0) != 0) return false;
  return forum_reader(c, who, e.object.substr(kPrefix.size()));
}

}  // namespace parley::workplan
