// Who may read the ledger entries negotiation journals on negotiation:document:<id>
// (ledger/read_policy.h): whoever may read the document (its distribution: a general
// document to every signed-in reader, a restricted one to the forum's secretariat, the
// admin and the focal points and points of contact of its current member states), the
// same check as every negotiation read path. Its entries (proposals, positions,
// comments, circulations, silence, adoption) show no more than the document's own
// views show to that reader. Pure; thread-safe with a connection per thread.
#pragma once

#include "auth/principal.h"
#include "storage/database.h"
#include "storage/journal.h"

namespace parley::negotiation {

// Whether `who` may read document `id` (false when there is none); in negotiation_service.cc.
bool document_readable(storage::Connection& c, const auth::Principal& who, std::int64_t id);

bool may_read_document_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e);

}  // namespace parley::negotiation
