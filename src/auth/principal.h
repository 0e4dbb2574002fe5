// Principal: who is making a request (resolved from a session cookie or an API token),
// and the roles Parley knows. A Principal is an immutable value; thread-safe to copy.
//
// Roles:
//   admin        runs the platform; may do everything.
//   secretariat  a forum's secretariat (scope: `forum`); runs that forum's directory,
//                approves nominations for its member states.
//   focal_point  a state's national focal point (scope: `state`); keeps its own
//                state's entries current and nominates points of contact.
//   poc          a point of contact of `state`; reads the directory.
//   observer     read-only access.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace parley::auth {

enum class Role { kAdmin, kSecretariat, kFocalPoint, kPointOfContact, kObserver };

std::string_view role_name(Role r);
// Admins, secretariats and focal points must sign in with a second factor.
bool needs_second_factor(Role r);
std::optional<Role> parse_role(std::string_view name);

struct Principal {
  std::int64_t user_id = 0;
  std::string username;
  std::string display_name;
  Role role = Role::kObserver;
  std::string state;   // for focal_point and poc
  std::string forum;   // for secretariat
  bool via_token = false;
  // Which credential the request came with: "s:" or "t:" and the SHA-256 of the
  // session or token secret (never the secret). Streams are checked against it.
  std::string credential;
  // Sessions: when the session last proved the password (sign-in or re-authentication),
  // unix seconds; 0 for API tokens. Credential changes need a recent one.
  std::int64_t verified_at = 0;
  // The account must enrol a second factor before anything else (an invited admin,
  // secretariat or focal point, or anyone under a forum's totp_for_everyone policy):
  // the Guard lets such a principal enrol TOTP and sign out, nothing more.
  bool must_enrol_totp = false;

  bool is(Role r) const { return role == r; }
  std::string actor() const { return "user:" + username; }   // journal actor
};

// Throws Problem 403 unless the principal has one of the roles.
void require_role(const Principal& who, std::initializer_list<Role> roles, std::string_view action);

}  // namespace parley::auth
