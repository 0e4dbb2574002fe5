// DirectoryStore: the SQL for forums, states, agencies and contacts. Stateless; every
// function runs on the caller's Connection inside the caller's transaction. Access
// decisions are the service's; the store filters only as told.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "directory/model.h"
#include "storage/database.h"

namespace parley::directory {

// Which contact statuses a search may return, and for which states the non-active
// ones: `all_states` for everyone, else only those of `state` or of `forum`'s members.
struct Visibility {
  bool non_active = false;
  bool all_states = false;
  std::string state;
  std::string forum;
};

class DirectoryStore {
 public:
  using C = storage::Connection;

  static nlohmann::json forums(C& c);
  static std::optional<nlohmann::json> forum(C& c, const std::string& code);
  // `language`: the BCP 47 tag state names are given in (English where a state has none).
  static nlohmann::json forum_states(C& c, const std::string& code, const std::string& language = "en");
  static nlohmann::json states(C& c, const std::string& language = "en");
  // With `names`: the state's name in every language the directory has.
  static std::optional<nlohmann::json> state(C& c, const std::string& alpha3, const std::string& language = "en");
  static std::vector<std::string> forums_of(C& c, const std::string& alpha3);
  static bool is_member(C& c, const std::string& forum, const std::string& alpha3);
  static bool state_exists(C& c, const std::string& alpha3);

  static std::vector<Agency> agencies_of(C& c, const std::string& alpha3);
  static std::optional<Agency> agency(C& c, std::int64_t id);
  static std::int64_t insert_agency(C& c, const Agency& a);
  static void update_agency(C& c, const Agency& a);
  static void delete_agency(C& c, std::int64_t id);
  static std::int64_t contacts_of_agency(C& c, std::int64_t id);

  static ContactPage search(C& c, const ContactQuery& q, const Visibility& v);
  static std::optional<Contact> contact(C& c, std::int64_t id, const std::string& language = "en");
  static bool name_taken(C& c, const std::string& state, const std::string& name, std::int64_t except_id);
  static std::int64_t insert_contact(C& c, const Contact& contact);
  static void update_contact(C& c, const Contact& contact);   // bumps version
  static void delete_contact(C& c, std::int64_t id);
  // Recomputes every contact's search_text (after a change of folding: migration 140).
  static void recompute_search_texts(C& c);

  // Reference data (demo loader, tests). add_member starts a current membership
  // (participation with no dates) unless the state is a current member already.
  static void upsert_state(C& c, const std::string& alpha3, const std::string& name, const std::string& kind);
  static void upsert_forum(C& c, const std::string& code, const std::string& name, const std::string& secretariat,
                           const std::vector<std::string>& languages, const std::string& website);
  static void add_member(C& c, const std::string& forum, const std::string& alpha3);
};

}  // namespace parley::directory
