// The HTTP edge of a forum's witnesses (WitnessService):
//   GET    /api/v1/forums/{forum}/witnesses        its member states' people, secretariat, admins
//   POST   /api/v1/forums/{forum}/witnesses        {url, vkey}: its secretariat or an admin
//   DELETE /api/v1/forums/{forum}/witnesses/{id}   likewise
// Every route requires sign-in.
#pragma once

#include "auth/routes.h"
#include "http/router.h"
#include "ledger/witnesses.h"

namespace parley::ledger {

void add_witness_routes(http::Router& router, WitnessService& witnesses, const auth::Guard& guard);

}  // namespace parley::ledger
