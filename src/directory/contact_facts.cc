#include "directory/contact_facts.h"

namespace parley::directory::contact_facts {
namespace {

constexpr const char* kSelect =
    "SELECT k.id, k.state, k.name, k.type, k.status, k.availability, k.office_hours, k.timezone, k.valid_from, "
    "k.valid_until, a.name AS agency FROM contacts k LEFT JOIN agencies a ON a.id = k.agency_id WHERE ";

ContactFacts from(const storage::Row& r) {
  return {r.integer("id"),           r.text("state"),    r.text("name"),       r.text("type"),
          r.text("status"),          r.text("availability"), r.text("office_hours"), r.text("timezone"),
          r.text("valid_from"),      r.text("valid_until"),  r.text("agency")};
}

}  // namespace

std::optional<ContactFacts> contact(C& c, std::int64_t id) {
  auto rows = c.query(std::string(kSelect).append("k.id = ?"), {id});
  if (rows.empty()) return std::nullopt;
  return from(rows[0]);
}

std::vector<ContactFacts> contacts_of(C& c, const std::string& state) {
  std::vector<ContactFacts> out;
  for (const auto& r : c.query(std::string(kSelect).append("k.state = ? ORDER BY k.name, k.id"), {state}))
    out.push_back(from(r));
  return out;
}

}  // namespace parley::directory::contact_facts
