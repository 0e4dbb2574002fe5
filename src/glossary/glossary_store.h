// The glossary's SQL: static functions on a Connection, run inside the caller's
// transaction; the same SQL on SQLite and PostgreSQL.
// Thread-safety: that of the Connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "glossary/model.h"
#include "storage/database.h"

namespace parley::glossary {

class GlossaryStore {
 public:
  using C = storage::Connection;

  // The forum's terms whose term or an equivalent contains `folded_query` (all when
  // empty), alphabetically, with their equivalents and definitions.
  static std::vector<Term> terms(C& c, const std::string& forum, const std::string& folded_query);
  static std::optional<Term> term(C& c, std::int64_t id);
  // The forum's term in `lang` that folds like `folded`, if any.
  static std::optional<std::int64_t> find(C& c, const std::string& forum, const std::string& lang, const std::string& folded);

  static std::int64_t insert_term(C& c, const Term& t, std::int64_t by, std::int64_t now);
  static void update_term(C& c, const Term& t, std::int64_t now);
  static void set_equivalents(C& c, std::int64_t term_id, const std::vector<Equivalent>& eq);

  static std::int64_t insert_definition(C& c, std::int64_t term_id, const Definition& d, std::int64_t by, std::int64_t now);
  // The term a definition belongs to, with the definition.
  static std::optional<std::pair<std::int64_t, Definition>> definition(C& c, std::int64_t id);
  static void delete_definition(C& c, std::int64_t id);
};

}  // namespace parley::glossary
