// Names in the caller's language: which of the languages the directory holds a name in
// serves an Accept-Language best (RFC 4647 lookup, common/accept_language.h), for
// states (table state_names) and forums and groups (a JSON map per row:
// {"ru": {"name": "...", "abbreviation": "СВМДА"}} or {"ru": "..."}). English is the
// fallback. Functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/accept_language.h"
#include "storage/database.h"

namespace parley::directory {

using Languages = std::vector<LanguageRange>;

// The languages state names exist in.
std::vector<std::string> state_languages(storage::Connection& c);

// The key of `names` (an object keyed by language) that serves `ranges` best; else
// "en" when present; else its first key; "" when it is empty.
std::string pick_language(const nlohmann::json& names, const Languages& ranges);

// A forum (or group) as DirectoryStore gives it, with `name` and `abbreviation` in
// the best language of its `names`, and `language` saying which.
void localize_forum(nlohmann::json& forum, const Languages& ranges);

}  // namespace parley::directory
