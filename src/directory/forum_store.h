// ForumStore: the SQL of the directory's reference data administration: participants
// that are not states, forums, participation periods and groups. Stateless; every
// function runs on the caller's Connection inside the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "storage/database.h"

namespace parley::directory {

struct Period {
  std::int64_t id = 0;
  std::string forum, state, kind, joined_on, left_on;   // "" = not recorded / open
  nlohmann::json to_json() const;
};

class ForumStore {
 public:
  using C = storage::Connection;

  static std::optional<nlohmann::json> state_row(C& c, const std::string& alpha3);   // alpha3, kind, iso
  static void insert_state(C& c, const std::string& alpha3, const std::string& name, const std::string& kind);
  static void set_state_name(C& c, const std::string& alpha3, const std::string& language, const std::string& name);
  static void remove_state_name(C& c, const std::string& alpha3, const std::string& language);

  static bool forum_exists(C& c, const std::string& code);
  static void insert_forum(C& c, const std::string& code, const std::string& name, const std::string& abbreviation,
                           const nlohmann::json& names, const std::vector<std::string>& languages,
                           const std::string& timezone, const std::string& website, const std::string& secretariat);
  static void update_forum(C& c, const std::string& code, const std::string& name, const std::string& abbreviation,
                           const nlohmann::json& names, const std::vector<std::string>& languages,
                           const std::string& timezone, const std::string& website, const std::string& secretariat);

  // Every period of `forum` (of `alpha3` only, when given), oldest first.
  static std::vector<Period> periods(C& c, const std::string& forum, const std::string& alpha3 = "");
  static std::int64_t insert_period(C& c, const Period& p);
  static void update_period(C& c, const Period& p);
  // All periods of a forum with the state's name in `language`, and whether current.
  static nlohmann::json participants(C& c, const std::string& forum, const std::string& language);

  static nlohmann::json groups(C& c, const std::string& forum, const std::string& language);
  static bool group_exists(C& c, const std::string& forum, const std::string& code);
  static void put_group(C& c, const std::string& forum, const std::string& code, const nlohmann::json& names,
                        const std::vector<std::string>& members);
  static void delete_group(C& c, const std::string& forum, const std::string& code);
};

}  // namespace parley::directory
