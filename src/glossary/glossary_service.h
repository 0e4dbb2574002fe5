// GlossaryService: a forum's terminology. Terms with their equivalents in other
// languages; definitions attributed to a state (and the national document in the
// library it comes from), an organisation, or the forum (agreed, when and where); the
// comparison of every definition of a term side by side (glossary/compare.h); export and
// import in TBX-Basic and CSV (glossary/interchange.h).
//
// Who (a rule of its own, since a glossary belongs to a forum, not to a state):
//  * reads: the people of the forum's member states and the forum's secretariat; to
//    anyone else a forum's glossary and its terms do not exist (404);
//  * adds terms: the forum's secretariat, and the focal points of its member states;
//  * edits terms, records organisations' and the forum's agreed definitions, imports:
//    the secretariat;
//  * proposes (and withdraws) a state's definition: that state's focal point, or the
//    secretariat on its behalf;
//  * a definition's link to a library contribution is shown only to those who may read
//    the contribution (library/access.h), in the API and in exports alike.
// Every change is journaled in its transaction (term:<id>, glossary:<forum>).
// Thread-safe: no state of its own beyond the references it holds.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "common/time_source.h"
#include "glossary/model.h"
#include "library/access.h"
#include "storage/database.h"

namespace parley::glossary {

bool can_read_glossary(const library::Reader& r, const std::string& forum);

class GlossaryService {
 public:
  GlossaryService(storage::Database& db, TimeSource& time);

  // `forum` empty: the caller's (a secretariat's forum, or a state's only forum).
  nlohmann::json list(const auth::Principal& who, const std::string& forum, const std::string& q);
  nlohmann::json create(const auth::Principal& who, const TermInput& in);
  nlohmann::json get(const auth::Principal& who, std::int64_t id);
  nlohmann::json update(const auth::Principal& who, std::int64_t id, const TermInput& in);
  nlohmann::json add_definition(const auth::Principal& who, std::int64_t term_id, const Definition& d);
  void delete_definition(const auth::Principal& who, std::int64_t id);
  // Every definition of the term in `lang` (empty: the term's language) side by side.
  nlohmann::json compare(const auth::Principal& who, std::int64_t id, const std::string& lang);

  struct Export {
    std::string body, media_type, filename;
  };
  Export export_glossary(const auth::Principal& who, const std::string& forum, const std::string& format);
  nlohmann::json import_glossary(const auth::Principal& who, const std::string& forum, const std::string& format,
                                 std::string_view body);

 private:
  storage::Database& db_;
  TimeSource& time_;
};

}  // namespace parley::glossary
