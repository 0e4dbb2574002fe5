#include "hotline/addressing.h"

#include <algorithm>

namespace parley::hotline {

namespace {

constexpr const char* kAddresseeSelect =
    "SELECT u.id, u.username, u.display_name, u.email, u.role, u.forum, k.state, k.id AS contact_id, "
    "k.name AS contact_name, k.type, k.status, k.availability, k.office_hours, k.timezone, k.valid_from, "
    "k.valid_until, a.name AS agency FROM users u JOIN contacts k ON k.id = u.contact_id "
    "LEFT JOIN agencies a ON a.id = k.agency_id WHERE u.disabled = 0 AND ";

Addressee addressee_from(const storage::Row& r) {
  Addressee a;
  a.person = {r.integer("id"), r.text("username"), r.text("display_name"), r.text("email"),
              r.text("role"),  r.text("state"),    r.text("forum")};
  a.contact_id = r.integer("contact_id");
  a.contact_name = r.text("contact_name");
  a.kind = r.text("type");
  a.agency = r.text("agency");
  a.status = r.text("status");
  a.availability = r.text("availability");
  a.office_hours = r.text("office_hours");
  a.timezone = r.text("timezone");
  a.valid_from = r.text("valid_from");
  a.valid_until = r.text("valid_until");
  a.when = directory::Availability::of(a.availability, a.office_hours, a.timezone);
  return a;
}

}  // namespace

bool Addressee::valid_on(std::int64_t now_ms) const {
  if (status != "active") return false;
  const auto today = directory::local_date(now_ms, timezone);
  if (!valid_from.empty() && today < valid_from) return false;
  return valid_until.empty() || today <= valid_until;
}

bool Addressee::expired_on(std::int64_t now_ms) const {
  return status == "active" && !valid_until.empty() && directory::local_date(now_ms, timezone) > valid_until;
}

std::vector<Addressee> Addressing::contacts_with_accounts(C& c, const std::string& state) {
  std::vector<Addressee> out;
  for (const auto& r : c.query(std::string(kAddresseeSelect) + "k.state = ? ORDER BY k.name, u.username", {state}))
    out.push_back(addressee_from(r));
  return out;
}

std::optional<Addressee> Addressing::by_contact(C& c, std::int64_t contact_id) {
  auto rows = c.query(std::string(kAddresseeSelect) + "k.id = ?", {contact_id});
  if (rows.empty()) return std::nullopt;
  return addressee_from(rows[0]);
}

std::optional<Addressee> Addressing::by_username(C& c, const std::string& username) {
  auto rows = c.query(std::string(kAddresseeSelect) + "u.username = ?", {username});
  if (rows.empty()) return std::nullopt;
  return addressee_from(rows[0]);
}

std::int64_t Addressing::first_available(const std::vector<Addressee>& people, std::int64_t now_ms) {
  if (people.empty()) return now_ms;
  std::int64_t first = INT64_MAX;
  for (const auto& p : people) first = std::min(first, p.when.next_opening(now_ms));
  return first;
}

Addressed Addressing::resolve(C& c, const std::vector<std::string>& states, const std::string& kind,
                              std::int64_t now_ms) {
  Addressed out;
  out.states = states;
  for (const auto& s : states) {
    std::vector<Addressee> valid;
    for (auto& a : contacts_with_accounts(c, s)) {
      if (!a.of_kind(kind)) continue;
      if (a.valid_on(now_ms)) valid.push_back(std::move(a));
      else if (a.expired_on(now_ms)) out.expired.push_back(std::move(a));
    }
    if (valid.empty()) out.unreachable.push_back(s);
    out.opens_at[s] = first_available(valid, now_ms);
    for (auto& a : valid) out.people.push_back(std::move(a.person));
  }
  return out;
}

}  // namespace parley::hotline
