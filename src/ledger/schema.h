// The ledger's own tables (migrations 600–): signed checkpoints, the cosignatures
// witnesses returned for them, and each forum's witnesses. The tree itself lives with
// the journal (storage/journal.h, migration 2), which appends to it.
#pragma once

#include <vector>

#include "storage/migrations.h"

namespace parley::ledger {

std::vector<storage::Migration> migrations();

}  // namespace parley::ledger
