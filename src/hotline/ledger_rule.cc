#include "hotline/ledger_rule.h"

#include <nlohmann/json.hpp>

#include "hotline/access.h"
#include "hotline/hotline_store.h"

namespace parley::hotline {

using auth::Role;

std::optional<std::int64_t> id_after(const std::string& object, std::string_view prefix) {
  if (object.size() <= prefix.size() || object.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  const auto digits = object.substr(prefix.size());
  if (digits.size() > 15 || digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoll(digits);
}

bool may_read_communication_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e) {
  const auto id = id_after(e.object, "communication:");
  if (!id) return false;
  const auto row = HotlineStore::comm(c, *id);
  if (!row) return false;
  const auto access = HotlineStore::access(c, *row);
  const auto v = Viewer::of(who);
  if (!access.can_see(v)) return false;
  if (e.action != "communication.escalate") return true;
  // Who of one recipient state was notified: the sender's side, the secretariat, that state.
  std::string state;
  try {
    const auto change = nlohmann::json::parse(e.change);
    state = change.value("state", "");
  } catch (const std::exception&) {
    return false;
  }
  const bool of_a_state = who.is(Role::kFocalPoint) || who.is(Role::kPointOfContact) || who.is(Role::kObserver);
  if (who.user_id != 0 && who.user_id == row->sender_user) return true;
  if (of_a_state && !who.state.empty() && (who.state == row->sender_state || who.state == state)) return true;
  return who.is(Role::kSecretariat) && who.forum == row->forum;
}

bool may_read_check_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e) {
  if (who.is(Role::kAdmin)) return true;
  if (!who.is(Role::kSecretariat) || who.forum.empty()) return false;
  std::optional<std::int64_t> id;
  const char* sql = nullptr;
  if ((id = id_after(e.object, "check:"))) sql = "SELECT forum FROM checks WHERE id = ?";
  else if ((id = id_after(e.object, "check_schedule:"))) sql = "SELECT forum FROM check_schedules WHERE id = ?";
  if (!id) return false;
  const auto rows = c.query(sql, {*id});
  return !rows.empty() && rows[0].text("forum") == who.forum;
}

bool may_read_attachment_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e) {
  constexpr std::string_view kPrefix = "attachment:";
  if (e.object.compare(0, kPrefix.size(), kPrefix) != 0) return false;
  const auto sha = e.object.substr(kPrefix.size());
  if (who.user_id != 0 && e.actor == who.actor()) return true;   // its uploader
  for (const auto& r : c.query("SELECT comm_id FROM comm_attachments WHERE sha256 = ? LIMIT 100", {sha})) {
    const auto row = HotlineStore::comm(c, r.integer("comm_id"));
    if (row && HotlineStore::access(c, *row).can_see(Viewer::of(who))) return true;
  }
  return false;
}

}  // namespace parley::hotline
