// DirectoryService: the Points-of-Contact directory's rules.
//
//  * Every signed-in user reads forums, states, agencies and active contacts.
//  * A state's entries are managed by the platform admin, by the secretariat of a forum
//    the state belongs to, and by that state's national focal point.
//  * A contact a focal point adds is a *nomination* (status "pending") until a
//    secretariat of one of the state's forums (or the admin) approves or rejects it;
//    contacts added by a secretariat or the admin are active at once. A focal point's
//    edits of its own state's contacts apply directly (it is the authority on them).
//  * Pending and rejected entries are visible only to those who manage the state.
//  * Every change is journaled in its transaction and announced on the event stream
//    after commit, as a reference (id, state), never as content.
// Thread-safe: no mutable state of its own.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "common/events.h"
#include "common/versioned_cache.h"
#include "directory/directory_store.h"
#include "directory/model.h"
#include "directory/names.h"
#include "storage/database.h"

namespace parley::directory {

class DirectoryService {
 public:
  DirectoryService(storage::Database& db, EventSink& events) : db_(db), events_(events) {}

  // Names (of forums and states) are given in the language of `langs` the directory
  // holds them in (directory/names.h), English otherwise; single forums and states
  // also carry `names`, every language's.
  nlohmann::json forums(const auth::Principal& who, const Languages& langs = {});
  nlohmann::json forum(const auth::Principal& who, const std::string& code, const Languages& langs = {});
  nlohmann::json forum_states(const auth::Principal& who, const std::string& code, const Languages& langs = {});
  nlohmann::json states(const auth::Principal& who, const Languages& langs = {});
  // A state with its forums, agencies and the contacts the caller may see.
  nlohmann::json state(const auth::Principal& who, const std::string& alpha3, const Languages& langs = {});
  // The language state names are given in for `langs` (cached while the database is
  // unchanged): what Content-Language says.
  std::string state_language(const Languages& langs);

  nlohmann::json agencies(const auth::Principal& who, const std::string& alpha3);
  Agency create_agency(const auth::Principal& who, const std::string& alpha3, const AgencyInput& in);
  Agency update_agency(const auth::Principal& who, std::int64_t id, const AgencyInput& in);
  void delete_agency(const auth::Principal& who, std::int64_t id);

  ContactPage search(const auth::Principal& who, ContactQuery q);
  // The same search as serialized JSON, served from a cache while the database is
  // unchanged (see VersionedCache); the hot path of directory reads.
  std::shared_ptr<const std::string> search_json(const auth::Principal& who, const ContactQuery& q);
  Contact contact(const auth::Principal& who, std::int64_t id, const std::string& name_language = "en");
  Contact create(const auth::Principal& who, const ContactInput& in);
  // `if_version`: refuse with 412 unless the stored version matches (optimistic locking).
  Contact update(const auth::Principal& who, std::int64_t id, const ContactInput& in,
                 std::optional<std::int64_t> if_version);
  void remove(const auth::Principal& who, std::int64_t id);
  Contact decide(const auth::Principal& who, std::int64_t id, bool approve, const std::string& note);
  // Called inside decide's transaction when a nomination is approved (the Application
  // sets it: an approved nomination with an e-mail address sends its invitation). Set
  // once, before serving.
  using ApprovalHook = std::function<void(storage::Connection&, const auth::Principal&, const Contact&)>;
  void on_approved(ApprovalHook hook) { on_approved_ = std::move(hook); }

  // May `who` manage `alpha3`'s entries? (admin; secretariat of a forum it belongs to;
  // its focal point.)
  static bool can_manage(storage::Connection& c, const auth::Principal& who, const std::string& alpha3);

  // "directory.managers": the admin, the focal points of `states`, the secretariats of
  // `forums` (Event::audience_args; contact and import events not public).
  static std::function<bool(const Subscriber&)> managers_audience(const nlohmann::json& args);

 private:
  void announce(const std::string& action, const Contact& contact);
  void require_state(storage::Connection& c, const std::string& alpha3, const std::string& field);

  storage::Database& db_;
  EventSink& events_;
  VersionedCache<std::shared_ptr<const std::string>> pages_{2000};
  VersionedCache<std::vector<std::string>> languages_{1};
  ApprovalHook on_approved_;
};

}  // namespace parley::directory
