// auth::account_policy: a forum's account policy (today: a second factor for everyone),
// kept by auth in account_policies, set by the accounts capability through these
// functions rather than by naming the table (docs/architecture.md "Table ownership").
//
// Free functions on the caller's Connection, inside the caller's transaction. Stateless
// and thread-safe as the Connection is (one thread at a time).
#pragma once

#include <optional>
#include <string>

#include "storage/database.h"

namespace parley::auth::account_policy {

using C = storage::Connection;

struct Policy {
  bool totp_for_everyone = false;
  std::string updated_by, updated_at;   // RFC 3339
};

std::optional<Policy> of(C& c, const std::string& forum);   // nullopt: never set
void set(C& c, const std::string& forum, bool totp_for_everyone, const std::string& by);
// Whether a forum of these (a secretariat's forum, a state's forums: directory/membership.h)
// requires a second factor of everyone.
bool totp_required(C& c, const std::string& forum, const std::string& state);

}  // namespace parley::auth::account_policy
