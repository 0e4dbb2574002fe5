// fold_for_search(text) as a PostgreSQL SQL function, with the results of
// common/fold.h's fold_for_search, which SQLite connections register as a C function:
// the function's text is computed from fold_for_search itself, code point by code point
// (a translate() of the characters that fold to one other or to none, replace() for
// those that fold to several, then NFC), so that the two cannot disagree on a
// character. No libpq here. Thread-safe (the text is computed once).
#pragma once

#include <string>

#include "storage/database.h"

namespace parley::storage {

// CREATE OR REPLACE FUNCTION fold_for_search(text) ... .
const std::string& postgresql_fold_function_sql();

// Creates (or replaces) the SQL functions Parley's SQL calls on PostgreSQL.
void install_postgresql_functions(Connection& c);

}  // namespace parley::storage
