// Who may read the ledger entries the hotline journals (ledger/read_policy.h): the same
// checks as the hotline's own read paths, decided on the entry as it was written.
//
//  * communication:<id> — whoever may see the communication (hotline/access.h, which
//    includes the rule that a state that left the forum sees nothing of it): its sending,
//    delivery, acknowledgements, answers and closing, which the communication's own view
//    shows to the same people (every recipient state's progress). An escalation entry
//    names the people of one recipient state who were notified: only the sender's side,
//    the forum's secretariat (when it sees the communication) and that state's people.
//    The platform admin has no reading right of its own, here as in the hotline.
//  * check:<id>, check_schedule:<id> — the forum's secretariat and the admin, who run and
//    read checks (a check's answers are acknowledgements of its communication, readable
//    under communication:<id>).
//  * attachment:<sha256> — the person who uploaded it, and whoever sees a communication
//    it is attached to.
// Pure functions of the database; thread-safe with a connection per thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/principal.h"
#include "storage/database.h"
#include "storage/journal.h"

namespace parley::hotline {

bool may_read_communication_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e);
bool may_read_check_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e);
bool may_read_attachment_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e);

// A decimal id after `prefix` in `object` ("communication:17"), or nullopt.
std::optional<std::int64_t> id_after(const std::string& object, std::string_view prefix);

}  // namespace parley::hotline
