// Who may read the ledger entries the glossary journals (ledger/read_policy.h): those on
// term:<id> and glossary:<forum> go to whoever may read that forum's glossary
// (glossary/glossary_service.h). Pure; thread-safe with a connection per thread.
#pragma once

#include "auth/principal.h"
#include "storage/database.h"
#include "storage/journal.h"

namespace parley::glossary {

bool may_read_term_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e);
bool may_read_glossary_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e);

}  // namespace parley::glossary
