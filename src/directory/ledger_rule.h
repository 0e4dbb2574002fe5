// Who may read the ledger entries recorded on forum:<code> (ledger/read_policy.h): the
// forum's creation and settings, its member states' participation and its groups
// ("forum:OSCE/state:KAZ", "forum:OSCE/group:G1"), its hotline policy and its notes'
// numbering scheme: the admin and that forum's secretariat, who administer them. The
// directory's contacts, agencies, states, reconfirmations and imports stay with the
// default (the admin only): their entries carry personal data whose visibility the
// directory decides field by field. Pure; thread-safe.
#pragma once

#include "auth/principal.h"
#include "storage/database.h"
#include "storage/journal.h"

namespace parley::directory {

bool may_read_forum_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e);

}  // namespace parley::directory
