// directory::contact_facts: what other capabilities may ask the directory about its
// contacts (points of contact), without naming its tables (contacts, agencies;
// docs/architecture.md "Table ownership"): a contact's state, kind, status, hours and
// validity, and its agency's name. The hotline addresses people through these; accounts
// checks invitations against them.
//
// Free functions on the caller's Connection, so that they run inside the caller's own
// read or write transaction (never open another: see storage/database.h). Stateless and
// thread-safe as the Connection is (one thread at a time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace parley::directory::contact_facts {

using C = storage::Connection;

struct ContactFacts {
  std::int64_t id = 0;
  std::string state, name, type, status, availability, office_hours, timezone, valid_from, valid_until;
  std::string agency;   // the agency's name, "" when none
};

std::optional<ContactFacts> contact(C& c, std::int64_t id);
// A state's contacts of every status, in name order.
std::vector<ContactFacts> contacts_of(C& c, const std::string& state);

}  // namespace parley::directory::contact_facts
