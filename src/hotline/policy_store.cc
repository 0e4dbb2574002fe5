#include "hotline/policy_store.h"

namespace parley::hotline {

std::optional<std::string> PolicyStore::get(C& c, const std::string& forum) {
  auto rows = c.query("SELECT policy FROM hotline_policies WHERE forum = ?", {forum});
  if (rows.empty()) return std::nullopt;
  return rows[0].text("policy");
}

void PolicyStore::set(C& c, const std::string& forum, const std::string& policy, std::int64_t at,
                      const std::string& by) {
  c.execute("INSERT INTO hotline_policies (forum, policy, updated_at, updated_by) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (forum) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at, "
            "updated_by = excluded.updated_by",
            {forum, policy, at, by});
}

}  // namespace parley::hotline
