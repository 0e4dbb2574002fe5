#include "storage/copy.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

namespace parley::storage {

namespace {

std::string quote_identifier(const std::string& identifier) {
  std::string out = "\"";
  for (char ch : identifier) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out.append("\"");
}

// child -> the tables it references (self-references left out: a table's own rows are
// copied in key order).
std::map<std::string, std::set<std::string>> foreign_keys(Connection& c, const std::vector<std::string>& tables) {
  std::map<std::string, std::set<std::string>> parents;
  for (const auto& t : tables) parents[t];
  if (c.dialect() == Dialect::kPostgreSQL) {
    for (const auto& r : c.query("SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent"
                                 " FROM pg_constraint WHERE contype = 'f'"
                                 " AND connamespace = current_schema()::regnamespace")) {
      if (r.text("child") != r.text("parent")) parents[r.text("child")].insert(r.text("parent"));
    }
    return parents;
  }
  for (const auto& t : tables)
    for (const auto& r : c.query("SELECT DISTINCT \"table\" AS parent FROM pragma_foreign_key_list(?)", {t}))
      if (r.text("parent") != t) parents[t].insert(r.text("parent"));
  return parents;
}

// Parents before children (Kahn's algorithm; ties by name, so the order is the same on
// every run). A cycle of foreign keys between tables cannot be ordered: refused.
std::vector<std::string> dependency_order(const std::vector<std::string>& tables,
                                          std::map<std::string, std::set<std::string>> parents) {
  std::vector<std::string> order;
  std::set<std::string> left(tables.begin(), tables.end());
  while (!left.empty()) {
    auto ready = std::find_if(left.begin(), left.end(), [&](const std::string& t) {
      return std::none_of(parents[t].begin(), parents[t].end(), [&](const std::string& p) { return left.count(p) > 0; });
    });
    if (ready == left.end())
      throw std::runtime_error(std::string("the tables' foreign keys form a cycle (").append(*left.begin()).append(" is in it): cannot order the copy"));
    order.push_back(*ready);
    left.erase(ready);
  }
  return order;
}

std::vector<std::string> primary_key(Connection& c, const std::string& table) {
  std::vector<std::string> columns;
  const auto rows =
      c.dialect() == Dialect::kPostgreSQL
          ? c.query("SELECT a.attname::text AS name FROM pg_index i"
                    " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
                    " WHERE i.indrelid = to_regclass(?) AND i.indisprimary"
                    " ORDER BY array_position(i.indkey::int2[], a.attnum)",
                    {quote_identifier(table)})
          : c.query("SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", {table});
  for (const auto& r : rows) columns.push_back(r.text("name"));
  return columns;
}

std::int64_t count_rows(Connection& c, const std::string& table) {
  return c.query(std::string("SELECT count(*) AS n FROM ").append(quote_identifier(table))).at(0).integer("n");
}

std::string insert_statement(const std::string& table, const std::vector<std::string>& columns) {
  std::string sql = std::string("INSERT INTO ").append(quote_identifier(table)).append(" (");
  std::string marks;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i) {
      sql += ", ";
      marks += ", ";
    }
    sql += quote_identifier(columns[i]);
    marks += "?";
  }
  return sql.append(") VALUES (").append(marks).append(")");
}

// One page of `table` in key order after `after` (the last page's last key; empty for
// the first page). A table without a primary key is read whole, in one page.
struct Page {
  Rows rows;
  bool last = true;
};
Page read_page(Connection& c, const std::string& table, const std::vector<std::string>& key, const Params& after,
               std::size_t limit) {
  std::string sql = std::string("SELECT * FROM ").append(quote_identifier(table));
  if (key.empty()) return {c.query(sql), true};
  std::string key_list;
  std::string marks;
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (i) {
      key_list += ", ";
      marks += ", ";
    }
    key_list += quote_identifier(key[i]);
    marks += "?";
  }
  if (!after.empty()) sql.append(" WHERE (").append(key_list).append(") > (").append(marks).append(")");
  sql.append(" ORDER BY ").append(key_list).append(" LIMIT ").append(std::to_string(limit));
  Page page;
  page.rows = c.query(sql, after);
  page.last = page.rows.size() < limit;
  return page;
}

// On PostgreSQL, identity columns given explicit values must hand out keys past them.
void resync_identities(Database& to) {
  to.write([](Connection& c) {
    if (c.dialect() != Dialect::kPostgreSQL) return;
    for (const auto& r : c.query("SELECT table_name::text AS t, column_name::text AS col FROM information_schema.columns"
                                 " WHERE table_schema = current_schema() AND is_identity = 'YES'")) {
      c.query(std::string("SELECT setval(pg_get_serial_sequence(?, ?), m) AS v FROM (SELECT max(")
                  .append(quote_identifier(r.text("col")))
                  .append(") AS m FROM ")
                  .append(quote_identifier(r.text("t")))
                  .append(") AS x WHERE m IS NOT NULL"),
              {quote_identifier(r.text("t")), r.text("col")});
    }
  });
}

}  // namespace

std::vector<std::string> user_tables(Connection& c) {
  const auto rows =
      c.dialect() == Dialect::kPostgreSQL
          ? c.query("SELECT table_name::text AS name FROM information_schema.tables"
                    " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")
          : c.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'");
  std::vector<std::string> tables;
  // Not copied: the migrations' record, and each engine's own search structures
  // (search_*: SQLite's FTS5 tables, which triggers fill from the rows copied).
  for (const auto& r : rows)
    if (r.text("name") != "schema_migrations" && r.text("name").rfind("search_", 0) != 0) tables.push_back(r.text("name"));
  std::sort(tables.begin(), tables.end());
  return tables;
}

std::vector<TableCopy> copy_rows(Database& from, Database& to, const std::function<void(const TableCopy&)>& progress,
                                 std::size_t batch_rows) {
  // The target's shape: its tables and the order its foreign keys impose.
  std::vector<std::string> order;
  to.read([&](Connection& c) {
    const auto tables = user_tables(c);
    order = dependency_order(tables, foreign_keys(c, tables));
  });
  // What the migrations put in the target (reference data) gives way to the source's
  // rows: children first.
  to.write([&](Connection& c) {
    for (auto t = order.rbegin(); t != order.rend(); ++t) c.execute(std::string("DELETE FROM ").append(quote_identifier(*t)));
  });

  std::vector<TableCopy> report;
  from.read([&](Connection& src) {
    const auto source_tables = user_tables(src);
    auto target_tables = order;
    std::sort(target_tables.begin(), target_tables.end());
    if (source_tables != target_tables) {
      std::string differ;
      for (const auto& t : source_tables)
        if (!std::binary_search(target_tables.begin(), target_tables.end(), t)) differ.append(" ").append(t).append(" (source only)");
      for (const auto& t : target_tables)
        if (!std::binary_search(source_tables.begin(), source_tables.end(), t)) differ.append(" ").append(t).append(" (target only)");
      throw std::runtime_error(std::string("the source and the target do not have the same tables:").append(differ));
    }
    for (const auto& table : order) {
      TableCopy copied;
      copied.table = table;
      copied.source_rows = count_rows(src, table);
      const auto key = primary_key(src, table);
      std::string insert;
      Params after;
      for (;;) {
        auto page = read_page(src, table, key, after, batch_rows);
        if (page.rows.empty()) break;
        if (insert.empty()) insert = insert_statement(table, page.rows.front().columns());
        to.write([&](Connection& dst) {
          for (const auto& row : page.rows) dst.execute(insert, row.values());
        });
        copied.copied += static_cast<std::int64_t>(page.rows.size());
        if (page.last) break;
        after.clear();
        for (const auto& column : key) after.push_back(page.rows.back().at(column));
      }
      report.push_back(std::move(copied));
    }
  });
  resync_identities(to);
  to.read([&](Connection& c) {
    for (auto& t : report) t.target_rows = count_rows(c, t.table);
  });
  if (progress)
    for (const auto& t : report) progress(t);
  return report;
}

}  // namespace parley::storage
