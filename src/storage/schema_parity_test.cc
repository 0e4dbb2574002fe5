// The schema that the migrations give on PostgreSQL (translated, storage/dialect.h) is
// the schema they give on SQLite: the same tables and views, columns (type class and
// nullability), primary keys, unique constraints and indexes. Runs against the cluster
// of PARLEY_TEST_DB (ctest's unit_pg entry), since it needs both databases. Each engine's
// own search structures (named search_*) are the exception.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>

#include "storage/migrations.h"
#include "storage/open.h"
#include "testing/temp_db.h"

namespace parley::storage {
namespace {

// Each engine's own search structures (docs/architecture.md, "The library"): FTS5 tables
// on SQLite; GIN indexes and a table of stored tsvectors on PostgreSQL; named search_*.
constexpr const char* kEngineSearch = "search_";

std::string type_class(std::string t) {
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  if (t == "integer" || t == "bigint" || t == "int" || t == "smallint") return "integer";
  if (t == "text" || t == "character varying") return "text";
  if (t == "real" || t == "double precision" || t == "numeric") return "real";
  return "other:" + t;
}

std::set<std::string> sqlite_schema(Connection& c) {
  std::set<std::string> out;
  for (const auto& t : c.query("SELECT name, type FROM sqlite_master WHERE type IN ('table','view')"
                               " AND name NOT LIKE 'sqlite_%'")) {
    const auto name = t.text("name");
    if (name.rfind(kEngineSearch, 0) == 0) continue;   // FTS5 tables and their shadow tables
    if (t.text("type") == "view") {
      out.insert("view " + name);
      continue;
    }
    out.insert("table " + name);
    std::vector<std::pair<std::int64_t, std::string>> pk;
    for (const auto& col : c.query("SELECT name, type, \"notnull\" AS nn, pk FROM pragma_table_info(?)", {name})) {
      const bool key = col.integer("pk") > 0;
      if (key) pk.emplace_back(col.integer("pk"), col.text("name"));
      out.insert("column " + name + "." + col.text("name") + " " + type_class(col.text("type")) +
                 (col.boolean("nn") || key ? " not null" : " null"));
    }
    std::sort(pk.begin(), pk.end());
    std::string keys;
    for (const auto& [_, k] : pk) keys.append(keys.empty() ? "" : ",").append(k);
    if (!keys.empty()) out.insert("primary key " + name + "(" + keys + ")");
    for (const auto& idx : c.query("SELECT name, \"unique\" AS u, origin, partial FROM pragma_index_list(?)", {name})) {
      if (idx.text("origin") == "pk") continue;
      std::string cols;
      for (const auto& col : c.query("SELECT name FROM pragma_index_info(?) ORDER BY seqno", {idx.text("name")}))
        cols.append(cols.empty() ? "" : ",").append(col.text("name"));
      if (idx.boolean("u"))
        out.insert("unique " + name + "(" + cols + ")" + (idx.boolean("partial") ? " partial" : ""));
      if (idx.text("origin") == "c") out.insert("index " + idx.text("name") + " on " + name + "(" + cols + ")");
    }
  }
  return out;
}

std::set<std::string> postgresql_schema(Connection& c) {
  std::set<std::string> out;
  for (const auto& t : c.query("SELECT relname, relkind FROM pg_class WHERE relnamespace = 'public'::regnamespace"
                               " AND relkind IN ('r','v')")) {
    if (t.text("relname").rfind(kEngineSearch, 0) == 0) continue;   // stored tsvectors
    out.insert((t.text("relkind") == "v" ? "view " : "table ") + t.text("relname"));
  }
  for (const auto& col : c.query("SELECT c.table_name, c.column_name, c.data_type, c.is_nullable FROM"
                                 " information_schema.columns c JOIN pg_class k ON k.relname = c.table_name"
                                 " AND k.relnamespace = 'public'::regnamespace AND k.relkind = 'r'"
                                 " WHERE c.table_schema = 'public' AND c.table_name NOT LIKE 'search\\_%'"))
    out.insert("column " + col.text("table_name") + "." + col.text("column_name") + " " +
               type_class(col.text("data_type")) + (col.text("is_nullable") == "NO" ? " not null" : " null"));
  for (const auto& idx : c.query(
           "SELECT t.relname AS tbl, i.relname AS idx, x.indisunique AS u, x.indisprimary AS p,"
           " x.indpred IS NOT NULL AS partial, k.contype AS contype,"
           " (SELECT string_agg(a.attname, ',' ORDER BY o.n) FROM unnest(x.indkey) WITH ORDINALITY o(attnum, n)"
           "  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = o.attnum) AS cols"
           " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
           " LEFT JOIN pg_constraint k ON k.conindid = x.indexrelid AND k.conrelid = t.oid"
           " WHERE t.relnamespace = 'public'::regnamespace")) {
    const auto tbl = idx.text("tbl"), cols = idx.text("cols");
    if (idx.text("idx").rfind(kEngineSearch, 0) == 0) continue;   // GIN indexes over tsvector and trigrams
    if (idx.boolean("p")) {
      out.insert("primary key " + tbl + "(" + cols + ")");
      continue;
    }
    if (idx.boolean("u")) out.insert("unique " + tbl + "(" + cols + ")" + (idx.boolean("partial") ? " partial" : ""));
    if (idx.is_null("contype")) out.insert("index " + idx.text("idx") + " on " + tbl + "(" + cols + ")");
  }
  return out;
}

TEST(PostgresOnly, MigrationsGiveTheSameSchemaOnBothDatabases) {
  ASSERT_FALSE(testing::test_cluster_url().empty()) << "PARLEY_TEST_DB must name a PostgreSQL cluster";
  testing::TempDb pg;
  const auto dir = std::filesystem::temp_directory_path() / ("parley-parity-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::set<std::string> lite, post;
  {
    auto sqlite = open_database("sqlite:" + (dir / "p.db").string(), 2);
    migrate(*sqlite, app::all_migrations());
    sqlite->read([&](Connection& c) { lite = sqlite_schema(c); });
  }
  std::filesystem::remove_all(dir);
  pg.db().read([&](Connection& c) { post = postgresql_schema(c); });
  std::vector<std::string> only_sqlite, only_pg;
  std::set_difference(lite.begin(), lite.end(), post.begin(), post.end(), std::back_inserter(only_sqlite));
  std::set_difference(post.begin(), post.end(), lite.begin(), lite.end(), std::back_inserter(only_pg));
  std::string report;
  for (const auto& s : only_sqlite) report.append("  only on SQLite:     ").append(s).append("\n");
  for (const auto& s : only_pg) report.append("  only on PostgreSQL: ").append(s).append("\n");
  EXPECT_TRUE(report.empty()) << report;
  EXPECT_GT(lite.size(), 300u);   // the comparison saw the schema, not two empty sets
}

}  // namespace
}  // namespace parley::storage
