#include "storage/migrations.h"

#include <algorithm>
#include <stdexcept>

#include "common/time.h"

namespace parley::storage {

namespace {
void ensure_table(Connection& c) {
  c.execute_script(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
}
}  // namespace

int schema_version(Database& db) {
  auto c = db.acquire();
  ensure_table(*c);
  auto rows = c->query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations");
  return static_cast<int>(rows.at(0).integer("v"));
}

std::vector<std::int64_t> recorded_migrations(Connection& c) {
  std::vector<std::int64_t> out;
  for (const auto& r : c.query("SELECT version FROM schema_migrations ORDER BY version")) out.push_back(r.integer("version"));
  return out;
}

int migrate(Database& db, std::vector<Migration> migrations) {
  std::sort(migrations.begin(), migrations.end(),
            [](const auto& a, const auto& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < migrations.size(); ++i)
    if (migrations[i].version == migrations[i - 1].version)
      throw std::logic_error("two migrations share version " + std::to_string(migrations[i].version));

  const int current = schema_version(db);
  if (!migrations.empty() && current > migrations.back().version)
    throw std::runtime_error("the database schema (version " + std::to_string(current) +
                             ") is newer than this build of Parley knows (" +
                             std::to_string(migrations.back().version) + ")");
  int applied = 0;
  for (const auto& m : migrations) {
    db.write([&](Connection& c) {
      auto rows = c.query("SELECT 1 AS x FROM schema_migrations WHERE version = ?", {std::int64_t{m.version}});
      if (!rows.empty()) return;
      try {
        if (!m.sql.empty()) c.execute_script(m.sql);
        if (m.apply) m.apply(c);
      } catch (const std::exception& e) {
        throw std::runtime_error("migration " + std::to_string(m.version) + " (" + m.name +
                                 ") failed: " + e.what());
      }
      c.execute("INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                {std::int64_t{m.version}, m.name, now_rfc3339()});
      ++applied;
    });
  }
  return applied;
}

}  // namespace parley::storage
