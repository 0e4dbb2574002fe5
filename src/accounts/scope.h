// Who may give whom an account: the rule behind invitations, role changes and account
// management. The admin may give any role; a forum's secretariat, a secretariat of its
// own forum and the focal points and points of contact of its member states; a focal
// point, the points of contact of its own state; nobody else anything. Nobody grants
// above their own role or outside their scope. Stateless functions over the caller's
// Connection: thread-safe as the Connection.
#pragma once

#include <string>

#include "auth/principal.h"
#include "storage/database.h"

namespace parley::accounts {

struct Grant {
  auth::Role role = auth::Role::kObserver;
  std::string state;   // focal_point, poc
  std::string forum;   // secretariat
};

// Whether `who` may give an account `g` (or act on an account that has it).
bool may_grant(storage::Connection& c, const auth::Principal& who, const Grant& g);
// Throws Problem 403 naming why, unless may_grant.
void require_may_grant(storage::Connection& c, const auth::Principal& who, const Grant& g, std::string_view action);
// Whether `who` sees the account `g` in its list: the admin every account; a secretariat
// its forum's and its member states' accounts; a focal point its state's.
bool sees(storage::Connection& c, const auth::Principal& who, const Grant& g);
// Checks the shape of `g` (a secretariat names a forum that exists, a focal point or
// point of contact a state that exists, other roles neither); throws 422 naming fields.
void validate_grant(storage::Connection& c, const Grant& g);
bool is_member(storage::Connection& c, const std::string& forum, const std::string& state);

}  // namespace parley::accounts
