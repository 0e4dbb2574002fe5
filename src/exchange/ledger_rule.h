// Who may read the ledger entries the threat exchange journals (ledger/read_policy.h),
// all recorded on collection:<uuid>: the same checks as the exchange's read paths
// (exchange/access.h), decided on what the entry reveals.
//
//  * exchange.collection.create and exchange.import (counts only): whoever may read the
//    collection or add to it.
//  * exchange.objects.add commits to each object it stored ([id, modified, SHA-256]),
//    one entry per TLP label ("tlp"), and exchange.objects.delete to the labels of the
//    versions it removed ("tlps"): a
//    reader must be able to see every one of them — by the collection's TLP rights, or
//    as the person who stored them, or, for anything below TLP:RED, as a person of the
//    producing state — since the entry would otherwise reveal that a TLP:RED object
//    exists, its id and its digest. An entry from before the labels were recorded
//    (first/last ids and a batch digest) is readable only by who sees every label.
// The platform admin has no reading right of its own. Pure; thread-safe with a
// connection per thread.
#pragma once

#include "auth/principal.h"
#include "storage/database.h"
#include "storage/journal.h"

namespace parley::exchange {

bool may_read_collection_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e);

}  // namespace parley::exchange
