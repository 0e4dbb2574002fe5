// Who may read the ledger entries the library journals (ledger/read_policy.h): those on
// contribution:<id> go to whoever may read the contribution (library/access.h, the rule
// of every library read path); those on file:<sha256> (its text was read) to whoever
// may read a contribution that had the file as a version when the entry was written
// (a later upload of the same bytes shows nothing of earlier ones). The admin reads no more than
// the rule gives. Pure; thread-safe with a connection per thread.
#pragma once

#include "auth/principal.h"
#include "storage/database.h"
#include "storage/journal.h"

namespace parley::library {

bool may_read_contribution_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e);
bool may_read_file_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e);

}  // namespace parley::library
