// AddressBook: the directory seen from the hotline's compose form, and the link between
// a directory contact and its account (users.contact_id).
//
//  * addressees(forum): the forum's member states (the caller's own excluded) and, for
//    each, its directory contacts that have accounts — name, kind, agency, availability
//    (24/7 or office hours in their time zone, open now or when they next open) and
//    validity — so that a sender picks people by name, never by username. No usernames
//    or e-mail addresses are given out. For those who send: focal points, points of
//    contact, secretariats (their own forum).
//  * link / unlink: the platform admin, a secretariat of a forum the contact's state
//    belongs to, or the state's focal point (those who manage its directory entries)
//    link an enabled account of the same state to a contact, one account per contact.
//    Journaled.
// Thread-safe: no mutable state of its own.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "common/time_source.h"
#include "storage/database.h"

namespace parley::hotline {

class AddressBook {
 public:
  AddressBook(storage::Database& db, TimeSource& time) : db_(db), time_(time) {}

  nlohmann::json addressees(const auth::Principal& who, const std::string& forum);
  nlohmann::json link(const auth::Principal& who, std::int64_t contact_id, const std::string& username);
  void unlink(const auth::Principal& who, std::int64_t contact_id);

 private:
  storage::Database& db_;
  TimeSource& time_;
};

}  // namespace parley::hotline
