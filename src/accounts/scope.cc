#include "accounts/scope.h"

#include "common/problem.h"
#include "directory/membership.h"

namespace parley::accounts {

using auth::Principal;
using auth::Role;

bool is_member(storage::Connection& c, const std::string& forum, const std::string& state) {
  if (forum.empty() || state.empty()) return false;
  return directory::membership::is_member(c, forum, state);
}

bool may_grant(storage::Connection& c, const Principal& who, const Grant& g) {
  switch (who.role) {
    case Role::kAdmin:
      return true;
    case Role::kSecretariat:
      if (g.role == Role::kSecretariat) return !who.forum.empty() && g.forum == who.forum;
      if (g.role == Role::kFocalPoint || g.role == Role::kPointOfContact) return is_member(c, who.forum, g.state);
      return false;
    case Role::kFocalPoint:
      return g.role == Role::kPointOfContact && !who.state.empty() && g.state == who.state;
    default:
      return false;
  }
}

void require_may_grant(storage::Connection& c, const Principal& who, const Grant& g, std::string_view action) {
  if (may_grant(c, who, g)) return;
  std::string why;
  switch (who.role) {
    case Role::kSecretariat:
      why = "a secretariat gives accounts to its own forum's secretariat and to the focal points and points of "
            "contact of its member states";
      break;
    case Role::kFocalPoint:
      why = "a focal point gives accounts to its own state's points of contact";
      break;
    default:
      why = "your role (" + std::string(auth::role_name(who.role)) + ") gives no accounts";
  }
  throw Problem::forbidden("You may not " + std::string(action) + " a " + std::string(auth::role_name(g.role)) +
                           (g.state.empty() ? "" : " of " + g.state) + (g.forum.empty() ? "" : " of " + g.forum) +
                           ": " + why + ".");
}

bool sees(storage::Connection& c, const Principal& who, const Grant& g) {
  switch (who.role) {
    case Role::kAdmin:
      return true;
    case Role::kSecretariat:
      return (!g.forum.empty() && g.forum == who.forum) || is_member(c, who.forum, g.state);
    case Role::kFocalPoint:
      return !g.state.empty() && g.state == who.state;
    default:
      return false;
  }
}

void validate_grant(storage::Connection& c, const Grant& g) {
  std::vector<FieldError> errors;
  const bool needs_state = g.role == Role::kFocalPoint || g.role == Role::kPointOfContact;
  const bool needs_forum = g.role == Role::kSecretariat;
  if (needs_state && g.state.empty()) errors.push_back({"state", "is required for this role"});
  if (!needs_state && !g.state.empty()) errors.push_back({"state", "is only for focal points and points of contact"});
  if (needs_forum && g.forum.empty()) errors.push_back({"forum", "is required for a secretariat"});
  if (!needs_forum && !g.forum.empty()) errors.push_back({"forum", "is only for a secretariat"});
  if (!g.state.empty() && !directory::membership::state_exists(c, g.state))
    errors.push_back({"state", "is not a state or participant known to this directory"});
  if (!g.forum.empty() && !directory::membership::forum_exists(c, g.forum))
    errors.push_back({"forum", "is not a forum known to this directory"});
  if (!errors.empty()) throw Problem::invalid(std::move(errors));
}

}  // namespace parley::accounts
