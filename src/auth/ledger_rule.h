// Who may read the ledger entries about accounts (ledger/read_policy.h): user:<id>
// (creation, sessions, profile, language, password, second factor, role, disabling) and
// token:<id> (an API token's creation and revocation) are readable by the account's own
// user and by the admin, as the account's own views are; nobody else learns when a
// person signed in. Pure; thread-safe with a connection per thread.
#pragma once

#include "auth/principal.h"
#include "storage/database.h"
#include "storage/journal.h"

namespace parley::auth {

bool may_read_account_entry(storage::Connection& c, const Principal& who, const storage::JournalEntry& e);

}  // namespace parley::auth
