// The ledger's read rules (ledger/read_policy.h), one per object kind the journal
// records, each defined next to its capability; registered once at start-up, before
// serving (thread-safety: see ReadPolicy). Kinds without a rule — contact, agency,
// state, reconfirmation, invitation, directory (imports, the demo) — stay readable by
// the admin only.
#pragma once

#include "ledger/read_policy.h"

namespace parley::app {

void register_ledger_rules(ledger::ReadPolicy& policy);

}  // namespace parley::app
