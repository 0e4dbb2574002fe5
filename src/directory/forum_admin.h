// ForumAdmin: the administration of the directory's reference data.
//
//  * Participants that are not states (the European Union, an international
//    organisation): the admin adds them with a three-letter code that ISO 3166-1 does
//    not use, and names per language; the admin may add or correct any participant's
//    names (English, the fallback, cannot be removed).
//  * Forums: the admin creates and edits them (code, names and abbreviations per
//    language, working languages, IANA time zone, website, secretariat).
//  * Participation: the admin records who participates in a forum as a member, an
//    observer or a partner, from and until which dates. Periods are never deleted: a
//    change of kind closes the current period and opens another; leaving closes it
//    today. Only current members (the VIEW forum_members) have access to a forum's
//    content, so leaving ends access that day. A forum's secretariat may NOT change
//    participation (it decides who reads the forum's traffic, a matter for the
//    platform's admin on the forum's decision).
//  * Groups (e.g. the ARF's ASEAN members): the admin or the forum's own secretariat
//    defines them, from the forum's current participants.
//  * Everyone signed in reads forums, participation and groups.
//  * Every change is journaled in its transaction and announced after commit
//    ("directory.forum.updated", "directory.state.updated"; references only).
//
// A Principal without a user id named "cli" is the server's operator at the command
// line (journal actor "cli"), with the admin's rights.
// Thread-safe: no mutable state of its own.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "common/events.h"
#include "directory/forum_model.h"
#include "directory/forum_store.h"
#include "directory/names.h"
#include "storage/database.h"

namespace parley::directory {

class ForumAdmin {
 public:
  ForumAdmin(storage::Database& db, EventSink& events) : db_(db), events_(events) {}

  // The operator at the command line.
  static auth::Principal operator_principal();

  nlohmann::json create_state(const auth::Principal& who, const StateInput& in);
  nlohmann::json update_state(const auth::Principal& who, const std::string& code, const StateInput& in);

  // Each returns the forum as stored (code, name, abbreviation, names, languages, ...).
  nlohmann::json create_forum(const auth::Principal& who, const ForumInput& in);
  nlohmann::json update_forum(const auth::Principal& who, const std::string& code, const ForumInput& in);

  // Every period of every participant, past ones included; names in `language`.
  nlohmann::json participants(const auth::Principal& who, const std::string& forum, const std::string& language);
  // The state's periods in the forum after the change.
  nlohmann::json set_participation(const auth::Principal& who, const std::string& forum, const std::string& alpha3,
                                   const ParticipationInput& in);
  nlohmann::json end_participation(const auth::Principal& who, const std::string& forum, const std::string& alpha3);

  nlohmann::json groups(const auth::Principal& who, const std::string& forum, const Languages& langs,
                        const std::string& language);
  nlohmann::json set_group(const auth::Principal& who, const std::string& forum, const std::string& code,
                           const GroupInput& in);
  void delete_group(const auth::Principal& who, const std::string& forum, const std::string& code);

 private:
  void announce_forum(const std::string& forum);
  storage::Database& db_;
  EventSink& events_;
};

}  // namespace parley::directory
