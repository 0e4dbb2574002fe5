// auth::people: what other capabilities may ask auth about its users, without naming
// the users table (docs/architecture.md "Table ownership"): a person by id or user
// name, the active people of a state, forum or role, and the link between an account
// and the directory contact it speaks for. Secrets (password, TOTP) never leave auth.
//
// Free functions on the caller's Connection, so that they run inside the caller's own
// read or write transaction (never open another: see storage/database.h). Stateless and
// thread-safe as the Connection is (one thread at a time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace parley::auth::people {

using C = storage::Connection;

struct Person {
  std::int64_t id = 0;
  std::string username, display_name, email, role, state, forum;
  bool disabled = false;
  bool second_factor_required = false;      // of this account, whatever its forums' policies
  std::optional<std::int64_t> contact_id;   // the directory contact this account speaks for
};

// Disabled accounts included; callers that act on a person check `disabled`.
std::optional<Person> by_id(C& c, std::int64_t id);
std::optional<Person> by_username(C& c, const std::string& username);
std::optional<Person> by_contact(C& c, std::int64_t contact_id);
// Many at once (a few queries, not one per id), in id order; unknown ids are left out.
std::vector<Person> by_ids(C& c, const std::vector<std::int64_t>& ids);
// The active people who speak for these contacts, in id order.
std::vector<Person> active_by_contacts(C& c, const std::vector<std::int64_t>& contact_ids);

// Active (not disabled) people, in user-name order: of `role` in a state, of `role` in a
// forum (the secretariat), of `role` anywhere.
std::vector<Person> active_in_state(C& c, const std::string& state, const std::string& role);
std::vector<Person> active_in_forum(C& c, const std::string& forum, const std::string& role);
std::vector<Person> active_with_role(C& c, const std::string& role);

// The account ↔ contact link. link_contact() sets it; unlink_contact() clears it on
// whichever account holds `contact_id` and says how many did (0 or 1).
void link_contact(C& c, std::int64_t user_id, std::int64_t contact_id);
std::int64_t unlink_contact(C& c, std::int64_t contact_id);

// Grants, changed by the accounts capability: role ("focal_point", ...), state and forum
// ("" for none); a second factor becomes required when `require_second_factor`, and
// stays so.
void set_grant(C& c, std::int64_t id, const std::string& role, const std::string& state, const std::string& forum,
               bool require_second_factor);
void require_second_factor(C& c, std::int64_t id);

}  // namespace parley::auth::people
