#include "auth/principal.h"

#include <algorithm>

#include "common/problem.h"

namespace parley::auth {

bool needs_second_factor(Role r) { return r == Role::kAdmin || r == Role::kSecretariat || r == Role::kFocalPoint; }

std::string_view role_name(Role r) {
  switch (r) {
    case Role::kAdmin: return "admin";
    case Role::kSecretariat: return "secretariat";
    case Role::kFocalPoint: return "focal_point";
    case Role::kPointOfContact: return "poc";
    case Role::kObserver: return "observer";
  }
  return "observer";
}

std::optional<Role> parse_role(std::string_view name) {
  for (Role r : {Role::kAdmin, Role::kSecretariat, Role::kFocalPoint, Role::kPointOfContact, Role::kObserver})
    if (role_name(r) == name) return r;
  return std::nullopt;
}

void require_role(const Principal& who, std::initializer_list<Role> roles, std::string_view action) {
  if (std::find(roles.begin(), roles.end(), who.role) == roles.end())
    throw Problem::forbidden("Your role (" + std::string(role_name(who.role)) + ") may not " +
                             std::string(action) + ".");
}

}  // namespace parley::auth
