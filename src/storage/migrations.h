// Versioned schema migrations. Each capability contributes its own list (see
// directory/schema.cc, auth/schema.cc); migrate() applies, in version order, those not
// yet recorded in schema_migrations, each in its own transaction. A database whose
// recorded version is newer than any known migration is refused (no silent downgrade).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace parley::storage {

struct Migration {
  int version;
  std::string name;
  std::string sql;   // one or more statements
  // Optional: work that SQL alone cannot do (loading reference data from files,
  // recomputing a derived column in C++), run after `sql` in the same transaction.
  // It must use only the Connection (portable SQL), and throw to abort the migration.
  std::function<void(Connection&)> apply = nullptr;
};

// Returns the number of migrations applied. Throws std::runtime_error on failure,
// leaving the database at the last fully applied version.
int migrate(Database& db, std::vector<Migration> migrations);
int schema_version(Database& db);
// The versions recorded as applied, read as they are (the table is not created: a
// database without it throws, as any query of a missing table).
std::vector<std::int64_t> recorded_migrations(Connection& c);

}  // namespace parley::storage
