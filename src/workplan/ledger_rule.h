// Who may read the ledger entries the work plan journals (ledger/read_policy.h): those
// on measure:<id> go to whoever may read the measure's forum's work plan
// (workplan/measure_service.h). Pure; thread-safe with a connection per thread.
#pragma once

#include "auth/principal.h"
#include "storage/database.h"
#include "storage/journal.h"

namespace parley::workplan {

bool may_read_measure_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e);

}  // namespace parley::workplan
