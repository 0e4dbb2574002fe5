// Versioned schema migrations. Each capability contributes its own list (see
// directory/schema.cc, auth/schema.cc); migrate() applies, in version order, those not
// yet recorded in schema_migrations, each in its own transaction. A database whose
// recorded version is newer than any known migration is refused (no silent downgrade).
#pragma once

#include <string>
#include <vector>

#include "storage/database.h"

namespace parley::storage {

struct Migration {
  int version;
  std::string name;
  std::string sql;   // one or more statements
};

// Returns the number of migrations applied. Throws std::runtime_error on failure,
// leaving the database at the last fully applied version.
int migrate(Database& db, std::vector<Migration> migrations);
int schema_version(Database& db);

}  // namespace parley::storage
