// The ledger's HTTP edge: /api/v1/ledger/* (key, checkpoint, proofs, entries,
// receipts) and the same tree as C2SP tlog-tiles under /ledger/ (checkpoint and hash
// tiles, no entry bundles: those would reveal content). Every route requires sign-in.
#pragma once

#include "auth/routes.h"
#include "http/router.h"
#include "ledger/ledger_service.h"

namespace parley::ledger {

void add_routes(http::Router& router, LedgerService& ledger, const auth::Guard& guard);

}  // namespace parley::ledger
