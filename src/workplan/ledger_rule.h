// Who may read the ledger entries the work plan journals (ledger/read_policy.h): those
// on measure:<id>, body:<id> and meeting:<id> go to whoever may read the measure's forum's work plan
// (workplan/measure_service.h). Pure; thread-safe with a connection per thread.
#pragma once

#include "auth/principal.h"
#include "storage/database.h"
#include "storage/journal.h"

namespace parley::workplan {

bool may_read_measure_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e);
// body:<id> and meeting:<id>: whoever may read the forum's work plan.
bool may_read_body_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e);
bool may_read_meeting_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e);
// activity:<id>, capacity:<id> and rules:<forum>: likewise.
bool may_read_activity_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e);
bool may_read_capacity_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e);
bool may_read_rules_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e);
// plan:<id>: a version's circulation, to the forum's people; its drafting, to the secretariat.
bool may_read_plan_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e);

}  // namespace parley::workplan
