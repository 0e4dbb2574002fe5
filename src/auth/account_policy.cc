#include "auth/account_policy.h"

#include <algorithm>
#include <vector>

#include "common/time.h"
#include "directory/membership.h"

namespace parley::auth::account_policy {

std::optional<Policy> of(C& c, const std::string& forum) {
  const auto rows = c.query("SELECT totp_for_everyone, updated_by, updated_at FROM account_policies WHERE forum = ?", {forum});
  if (rows.empty()) return std::nullopt;
  return Policy{rows[0].boolean("totp_for_everyone"), rows[0].text("updated_by"), rows[0].text("updated_at")};
}

void set(C& c, const std::string& forum, bool totp_for_everyone, const std::string& by) {
  c.execute(
      "INSERT INTO account_policies(forum, totp_for_everyone, updated_by, updated_at) VALUES (?, ?, ?, ?)"
      " ON CONFLICT(forum) DO UPDATE SET totp_for_everyone = excluded.totp_for_everyone,"
      " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
      {forum, std::int64_t{totp_for_everyone ? 1 : 0}, by, now_rfc3339()});
}

bool totp_required(C& c, const std::string& forum, const std::string& state) {
  std::vector<std::string> strict;   // the forums whose policy requires it (a few at most)
  for (const auto& r : c.query("SELECT forum FROM account_policies WHERE totp_for_everyone = 1"))
    strict.push_back(r.text("forum"));
  if (strict.empty()) return false;
  auto in = [&](const std::string& f) { return std::find(strict.begin(), strict.end(), f) != strict.end(); };
  if (!forum.empty() && in(forum)) return true;
  if (state.empty()) return false;
  const auto forums = directory::membership::forums_of(c, state);
  return std::any_of(forums.begin(), forums.end(), in);
}

}  // namespace parley::auth::account_policy
