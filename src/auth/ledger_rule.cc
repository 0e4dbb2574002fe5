#include "auth/ledger_rule.h"

#include <optional>
#include <string>

namespace parley::auth {

namespace {
std::optional<std::int64_t> id_after(const std::string& object, std::string_view prefix) {
  if (object.size() <= prefix.size() || object.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  const auto digits = object.substr(prefix.size());
  if (digits.size() > 15 || digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoll(digits);
}
}  // namespace

bool may_read_account_entry(storage::Connection& c, const Principal& who, const storage::JournalEntry& e) {
  if (who.is(Role::kAdmin)) return true;
  if (who.user_id == 0) return false;
  if (const auto id = id_after(e.object, "user:")) return *id == who.user_id;
  if (const auto id = id_after(e.object, "token:")) {
    const auto rows = c.query("SELECT user_id FROM api_tokens WHERE id = ?", {*id});
    return !rows.empty() && rows[0].integer("user_id") == who.user_id;
  }
  return false;
}

}  // namespace parley::auth
