#include "hotline/address_book.h"

#include <algorithm>

#include "auth/people.h"
#include "common/problem.h"
#include "common/time.h"
#include "directory/contact_facts.h"
#include "directory/directory_service.h"
#include "hotline/addressing.h"
#include "hotline/hotline_store.h"
#include "storage/journal.h"

namespace parley::hotline {

using auth::Principal;
using auth::Role;
using nlohmann::json;
using storage::Connection;

namespace {

json nullable(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json contact_json(const Addressee& a, std::int64_t now) {
  json j = json::object();
  j["contact_id"] = a.contact_id;
  j["name"] = a.contact_name;
  j["kind"] = a.kind;
  j["agency"] = nullable(a.agency);
  j["availability"] = a.availability;
  j["office_hours"] = nullable(a.office_hours);
  j["timezone"] = nullable(a.timezone);
  const bool valid = a.valid_on(now);
  j["valid"] = valid;
  j["expired"] = a.expired_on(now);
  j["valid_until"] = nullable(a.valid_until);
  j["available_now"] = a.when.open_at(now);
  j["next_opening_at"] = a.when.open_at(now) ? json(nullptr) : json(rfc3339_from_ms(a.when.next_opening(now)));
  return j;
}

}  // namespace

json AddressBook::addressees(const Principal& who, const std::string& forum) {
  auth::require_role(who, {Role::kFocalPoint, Role::kPointOfContact, Role::kSecretariat}, "address communications");
  const auto now = time_.now_ms();
  return db_.read([&](Connection& c) {
    if (!HotlineStore::forum_exists(c, forum)) throw Problem::not_found("No forum " + forum + ".");
    if (who.is(Role::kSecretariat) ? who.forum != forum : !HotlineStore::is_member(c, forum, who.state))
      throw Problem::not_found("No forum " + forum + ".");
    json states = json::array();
    for (const auto& s : HotlineStore::members(c, forum)) {
      if (s == who.state) continue;
      json contacts = json::array();
      for (const auto& a : Addressing::contacts_with_accounts(c, s))
        if (a.status == "active") contacts.push_back(contact_json(a, now));
      json one = json::object();
      one["state"] = s;
      one["contacts"] = std::move(contacts);
      states.push_back(std::move(one));
    }
    json out = json::object();
    out["forum"] = forum;
    out["contact_kinds"] = kContactKinds;
    out["states"] = std::move(states);
    return out;
  });
}

json AddressBook::link(const Principal& who, std::int64_t contact_id, const std::string& username) {
  const auto now = time_.now_ms();
  db_.write([&](Connection& c) {
    const auto k = directory::contact_facts::contact(c, contact_id);
    if (!k) throw Problem::not_found("No contact " + std::to_string(contact_id) + ".");
    const auto state = k->state;
    if (!directory::DirectoryService::can_manage(c, who, state) && k->status != "active")
      throw Problem::not_found("No contact " + std::to_string(contact_id) + ".");   // a nomination is not revealed
    if (!directory::DirectoryService::can_manage(c, who, state))
      throw Problem::forbidden("Only those who manage " + state + "'s directory entries link its contacts' accounts.");
    const auto u = auth::people::by_username(c, username);
    if (!u || u->disabled) throw Problem::invalid("username", "is not an enabled account");
    if (u->state != state || (u->role != "poc" && u->role != "focal_point"))
      throw Problem::invalid("username", "is not a point of contact's or focal point's account of " + state);
    if (u->contact_id && *u->contact_id != contact_id)
      throw Problem::conflict("The account " + username + " is already another contact's.",
                              {{"username", "is already linked to contact " + std::to_string(*u->contact_id)}});
    if (const auto holder = auth::people::by_contact(c, contact_id); holder && holder->username != username)
      throw Problem::conflict("Contact " + std::to_string(contact_id) + " already has an account; unlink it first.",
                              {{"username", "the contact already has another account"}});
    auth::people::link_contact(c, u->id, contact_id);
    storage::Journal::append(c, who.actor(), "contact.account.link", "contact:" + std::to_string(contact_id),
                             {{"username", username}, {"at", rfc3339_from_ms(now)}});
  });
  return {{"contact_id", contact_id}, {"username", username}};
}

void AddressBook::unlink(const Principal& who, std::int64_t contact_id) {
  db_.write([&](Connection& c) {
    const auto k = directory::contact_facts::contact(c, contact_id);
    if (!k) throw Problem::not_found("No contact " + std::to_string(contact_id) + ".");
    if (!directory::DirectoryService::can_manage(c, who, k->state))
      throw Problem::forbidden("Only those who manage " + k->state + "'s directory entries link its contacts' accounts.");
    if (auth::people::unlink_contact(c, contact_id) == 0)
      throw Problem::not_found("Contact " + std::to_string(contact_id) + " has no account.");
    storage::Journal::append(c, who.actor(), "contact.account.unlink", "contact:" + std::to_string(contact_id),
                             json::object());
  });
}

}  // namespace parley::hotline
