#include "hotline/addressing.h"

#include <algorithm>
#include <map>

#include "auth/people.h"
#include "directory/contact_facts.h"

namespace parley::hotline {

namespace {

// An addressee joins a directory contact (directory/contact_facts.h) with the active
// account that speaks for it (auth/people.h): two owners, asked one after the other.
Addressee addressee_from(const directory::contact_facts::ContactFacts& k, const auth::people::Person& u) {
  Addressee a;
  a.person = {u.id, u.username, u.display_name, u.email, u.role, k.state, u.forum};
  a.contact_id = k.id;
  a.contact_name = k.name;
  a.kind = k.type;
  a.agency = k.agency;
  a.status = k.status;
  a.availability = k.availability;
  a.office_hours = k.office_hours;
  a.timezone = k.timezone;
  a.valid_from = k.valid_from;
  a.valid_until = k.valid_until;
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
  const auto contacts = directory::contact_facts::contacts_of(c, state);   // in name order
  std::vector<std::int64_t> ids;
  for (const auto& k : contacts) ids.push_back(k.id);
  std::multimap<std::int64_t, auth::people::Person> accounts;   // contact id -> its accounts
  for (auto& u : auth::people::active_by_contacts(c, ids)) accounts.emplace(*u.contact_id, std::move(u));
  std::vector<Addressee> out;
  for (const auto& k : contacts) {
    std::vector<const auth::people::Person*> of;
    for (auto [it, end] = accounts.equal_range(k.id); it != end; ++it) of.push_back(&it->second);
    std::sort(of.begin(), of.end(), [](const auto* a, const auto* b) { return a->username < b->username; });
    for (const auto* u : of) out.push_back(addressee_from(k, *u));
  }
  return out;
}

std::optional<Addressee> Addressing::by_contact(C& c, std::int64_t contact_id) {
  const auto k = directory::contact_facts::contact(c, contact_id);
  if (!k) return std::nullopt;
  const auto u = auth::people::active_by_contacts(c, {contact_id});
  if (u.empty()) return std::nullopt;
  return addressee_from(*k, u.front());
}

std::optional<Addressee> Addressing::by_username(C& c, const std::string& username) {
  const auto u = auth::people::by_username(c, username);
  if (!u || u->disabled || !u->contact_id) return std::nullopt;
  const auto k = directory::contact_facts::contact(c, *u->contact_id);
  if (!k) return std::nullopt;
  return addressee_from(*k, *u);
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
