// The HTTP edge of the accounts capability: invitations (/api/v1/invitations, with the
// unauthenticated lookup and accept), account management (/api/v1/accounts) and a
// forum's account policy (/api/v1/forums/{forum}/account-policy). Stateless.
#pragma once

#include "accounts/account_service.h"
#include "accounts/invitation_service.h"
#include "auth/routes.h"
#include "http/router.h"

namespace parley::accounts {

void add_routes(http::Router& router, InvitationService& invitations, AccountService& accounts,
                auth::AuthService& auth, const auth::Guard& guard);

}  // namespace parley::accounts
