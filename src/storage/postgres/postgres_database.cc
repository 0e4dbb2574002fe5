#include "storage/postgres/postgres_database.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <cstring>
#include <regex>
#include <unordered_map>

#include "common/fnv.h"
#include "storage/dialect.h"
#include "storage/postgres/fold_function.h"

namespace parley::storage {

namespace {

// Type OIDs (server/catalog/pg_type.h, stable across versions).
constexpr Oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700, kFloat8 = 701,
              kNumeric = 1700;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// 64-bit FNV-1a: a lock name's key for pg_advisory_xact_lock, the same in every
// instance and every build.
std::int64_t lock_key(std::string_view name) { return fnv1a64(name); }

// Foreign keys and views as they stand, to put back those that a script's
// DROP TABLE ... CASCADE removed (dialect.h): SQLite keeps them by name.
constexpr const char* kSnapshotForeignKeys =
    "SELECT conrelid::bigint AS rel, pg_get_constraintdef(oid) AS def FROM pg_constraint"
    " WHERE contype = 'f' AND connamespace = 'public'::regnamespace";
constexpr const char* kSnapshotViews =
    "SELECT c.relname AS name, pg_get_viewdef(c.oid) AS def FROM pg_class c"
    " WHERE c.relkind = 'v' AND c.relnamespace = 'public'::regnamespace";
// Identity columns given explicit values (a table rebuilt with its rows) must not hand
// out those values again.
constexpr const char* kResyncIdentities = R"sql(
DO $parley$ DECLARE r record; m bigint; BEGIN
  FOR r IN SELECT table_name, column_name FROM information_schema.columns
           WHERE table_schema = 'public' AND is_identity = 'YES' LOOP
    EXECUTE format('SELECT max(%I) FROM %I', r.column_name, r.table_name) INTO m;
    IF m IS NOT NULL THEN
      PERFORM setval(pg_get_serial_sequence(quote_ident(r.table_name), r.column_name), m);
    END IF;
  END LOOP;
END $parley$;
)sql";

class PostgresConnection final : public Connection {
 public:
  explicit PostgresConnection(const std::string& url) {
    // Bounds on waiting for a server that is not answering, so that a request fails
    // (503) instead of hanging: connecting gives up after 10 s; on TCP, a connection
    // whose peer vanished without closing it (a host or network failure, not a restart,
    // which closes it) is detected by keepalives and by unacknowledged data after 30 s.
    // Given before the URL, which is expanded after them: a URL that sets one wins.
    const char* keywords[] = {"connect_timeout",     "keepalives",        "keepalives_idle", "keepalives_interval",
                              "keepalives_count",    "tcp_user_timeout",  "dbname",          nullptr};
    const char* values[] = {"10", "1", "10", "5", "3", "30000", url.c_str(), nullptr};
    conn_ = PQconnectdbParams(keywords, values, 1);
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = std::string("cannot connect to PostgreSQL (") + redact_postgresql_url(url) +
                        "): " + PQerrorMessage(conn_);
      PQfinish(conn_);
      conn_ = nullptr;
      throw Unavailable(msg);
    }
    // UTC (CURRENT_DATE, as SQLite's), no notices about IF NOT EXISTS in the log.
    // Custom plans: a prepared statement is planned for its values each time, with the
    // table's current size. (A generic plan is made once, when a table may still be
    // nearly empty: a bulk STIX import into a fresh collection then scanned the whole
    // table for every object it checked, and slowed to a crawl.)
    run_simple("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET client_min_messages = warning;"
               " SET plan_cache_mode = force_custom_plan;");
  }

  ~PostgresConnection() override {
    if (conn_) PQfinish(conn_);
  }

  Dialect dialect() const override { return Dialect::kPostgreSQL; }
  bool broken() const override { return !conn_ || PQstatus(conn_) != CONNECTION_OK; }

  Rows query(std::string_view sql, const Params& params) override {
    auto res = run(sql, params);
    return to_rows(res.get());
  }

  std::int64_t execute(std::string_view sql, const Params& params) override {
    auto res = run(sql, params);
    const char* n = PQcmdTuples(res.get());
    return (n && *n) ? std::strtoll(n, nullptr, 10) : 0;
  }

  std::int64_t insert(std::string_view sql, const Params& params) override {
    std::string s(sql);
    while (!s.empty() && (s.back() == ';' || std::isspace(static_cast<unsigned char>(s.back())))) s.pop_back();
    s.append(" RETURNING id");
    auto res = run(s, params);
    if (PQntuples(res.get()) != 1) throw std::runtime_error("insert returned no id: " + std::string(sql));
    return std::strtoll(PQgetvalue(res.get(), 0, 0), nullptr, 10);
  }

  // Migration scripts are in SQLite's dialect (storage/dialect.h).
  void execute_script(std::string_view sql) override {
    const std::string translated = schema_to_postgresql(sql);
    const bool drops = translated.find("CASCADE") != std::string::npos;
    Rows keys, views;
    if (drops) {
      keys = query(kSnapshotForeignKeys, {});
      views = query(kSnapshotViews, {});
    }
    run_simple(translated);
    if (drops) {
      // Views first: a foreign key never depends on a view, a view may use any table.
      // A view is put back when nothing took its name; a foreign key when its table
      // survived the script (the same table, not one made again under its name, whose
      // definition has keys of its own) and lost it.
      for (const auto& v : views)
        if (query("SELECT to_regclass(?) IS NULL AS gone", {v.text("name")}).at(0).boolean("gone"))
          run_simple("CREATE VIEW " + v.text("name") + " AS " + v.text("def"));
      auto now_keys = query(kSnapshotForeignKeys, {});
      for (const auto& k : keys) {
        bool present = false;
        for (const auto& n : now_keys) present = present || (n.integer("rel") == k.integer("rel") && n.text("def") == k.text("def"));
        if (present) continue;
        auto table = query("SELECT oid::regclass::text AS name FROM pg_class WHERE oid = ?::bigint::oid AND relkind = 'r'",
                           {k.integer("rel")});
        if (!table.empty()) run_simple("ALTER TABLE " + table[0].text("name") + " ADD " + k.text("def"));
      }
    }
    if (translated.find("INSERT") != std::string::npos || translated.find("insert") != std::string::npos)
      run_simple(kResyncIdentities);
  }

  void lock(std::string_view name) override {
    // A transaction that holds the write batch's lock excludes every other batch, and so
    // every holder of any other name (storage/database.h): another lock would only cost
    // a round trip, two or three per write on the writer's path. (The batch lock is
    // taken right after BEGIN, outside the writes' savepoints, so no ROLLBACK TO
    // releases it.)
    if (batch_locked_) return;
    run("SELECT pg_advisory_xact_lock(?)", {lock_key(name)});
    if (name == kBatchLock) batch_locked_ = true;
  }

  void begin(bool write) override {
    batch_locked_ = false;
    run(write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ", {});
  }
  void commit() override {
    batch_locked_ = false;
    // PostgreSQL answers COMMIT of a transaction an earlier error aborted with a
    // rollback, not an error: a write that caught that error and returned would pass
    // for committed. Refused here; the caller rolls back.
    if (conn_ && PQtransactionStatus(conn_) == PQTRANS_INERROR)
      throw std::runtime_error("PostgreSQL: the transaction was aborted by an earlier error; nothing was committed");
    run("COMMIT", {});
  }
  void rollback() override {
    batch_locked_ = false;
    if (!broken() && PQtransactionStatus(conn_) != PQTRANS_IDLE) run("ROLLBACK", {});
  }

 private:
  struct Prepared {
    std::string name;
    int params;
  };

  [[noreturn]] void fail(PGresult* res, std::string_view sql) {
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    std::string msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn_);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    msg.append(" [").append(sql.substr(0, 200)).append("]");
    if (broken() || (state && (std::strncmp(state, "08", 2) == 0 || std::strncmp(state, "57P", 3) == 0))) {
      // The server went away (restart, shutdown, network): this connection is done.
      PQfinish(conn_);
      conn_ = nullptr;
      cache_.clear();
      throw Unavailable("PostgreSQL is unavailable: " + msg);
    }
    if (state) {
      const std::string_view s(state);
      if (s == "23505") throw ConstraintViolation(ConstraintViolation::Kind::kUnique, msg);
      if (s == "23503") throw ConstraintViolation(ConstraintViolation::Kind::kForeignKey, msg);
      if (s == "23514") throw ConstraintViolation(ConstraintViolation::Kind::kCheck, msg);
      if (s.substr(0, 2) == "23") throw ConstraintViolation(ConstraintViolation::Kind::kOther, msg);
    }
    throw std::runtime_error(msg);
  }

  void ensure_open() {
    if (!conn_) throw Unavailable("PostgreSQL connection lost");
  }

  void run_simple(const std::string& sql) {
    ensure_open();
    Result res(PQexec(conn_, sql.c_str()));
    const auto status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(res.get(), sql);
  }

  Result run(std::string_view sql, const Params& params) {
    ensure_open();
    std::string types;
    types.reserve(params.size());
    for (const auto& p : params)
      types.push_back(std::holds_alternative<std::int64_t>(p) ? 'i'
                      : std::holds_alternative<double>(p)     ? 'd'
                      : std::holds_alternative<std::string>(p) ? 't'
                                                              : 'n');
    // NULL and text are both sent untyped (the server types them from their context),
    // except before IS [NOT] NULL, where the cast names text: one statement for both.
    std::string key(sql);
    key.push_back('\0');
    for (char t : types) key.push_back(t == 'n' ? 't' : t);
    auto it = cache_.find(key);
    if (it == cache_.end()) {
      int count = 0;
      const auto text = dollar_placeholders(sql, types, &count);
      if (static_cast<std::size_t>(count) != params.size())
        throw std::logic_error("parameter count mismatch for: " + std::string(sql));
      std::vector<Oid> oids;
      for (char t : types) oids.push_back(t == 'i' ? kInt8 : t == 'd' ? kFloat8 : 0);
      if (cache_.size() >= 512) {
        run_simple("DEALLOCATE ALL");
        cache_.clear();
      }
      std::string name = "p" + std::to_string(++statements_);
      Result prep(PQprepare(conn_, name.c_str(), text.c_str(), count, oids.empty() ? nullptr : oids.data()));
      if (!prep || PQresultStatus(prep.get()) != PGRES_COMMAND_OK) fail(prep.get(), sql);
      it = cache_.emplace(std::move(key), Prepared{std::move(name), count}).first;
    }
    std::vector<std::string> storage(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<int> lengths(params.size(), 0);
    for (std::size_t i = 0; i < params.size(); ++i) {
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
              values[i] = nullptr;
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
              storage[i] = std::to_string(v);
              values[i] = storage[i].c_str();
            } else if constexpr (std::is_same_v<T, double>) {
              char buf[64];
              std::snprintf(buf, sizeof buf, "%.17g", v);
              storage[i] = buf;
              values[i] = storage[i].c_str();
            } else {
              values[i] = v.c_str();
              lengths[i] = static_cast<int>(v.size());
            }
          },
          params[i]);
    }
    Result res(PQexecPrepared(conn_, it->second.name.c_str(), static_cast<int>(params.size()),
                              values.empty() ? nullptr : values.data(), lengths.empty() ? nullptr : lengths.data(),
                              nullptr, 0));
    const auto status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(res.get(), sql);
    return res;
  }

  static Rows to_rows(PGresult* res) {
    const int n = PQnfields(res);
    auto columns = std::make_shared<std::vector<std::string>>();
    std::vector<char> kinds;
    for (int i = 0; i < n; ++i) {
      columns->emplace_back(PQfname(res, i));
      const Oid t = PQftype(res, i);
      kinds.push_back(t == kInt8 || t == kInt4 || t == kInt2 || t == kOid ? 'i'
                      : t == kBool                                      ? 'b'
                      : t == kFloat8 || t == kFloat4 || t == kNumeric  ? 'd'
                                                                        : 't');
    }
    Rows rows;
    const int count = PQntuples(res);
    rows.reserve(static_cast<std::size_t>(count));
    for (int r = 0; r < count; ++r) {
      std::vector<Value> values;
      values.reserve(static_cast<std::size_t>(n));
      for (int i = 0; i < n; ++i) {
        if (PQgetisnull(res, r, i)) {
          values.emplace_back(std::monostate{});
          continue;
        }
        const char* v = PQgetvalue(res, r, i);
        switch (kinds[static_cast<std::size_t>(i)]) {
          case 'i': values.emplace_back(static_cast<std::int64_t>(std::strtoll(v, nullptr, 10))); break;
          case 'b': values.emplace_back(static_cast<std::int64_t>(v[0] == 't' ? 1 : 0)); break;
          case 'd': values.emplace_back(std::strtod(v, nullptr)); break;
          default: values.emplace_back(std::string(v, static_cast<std::size_t>(PQgetlength(res, r, i))));
        }
      }
      rows.emplace_back(columns, std::move(values));
    }
    return rows;
  }

  static constexpr std::string_view kBatchLock = "parley.write_batch";   // Database::run_batch's
  bool batch_locked_ = false;   // this transaction holds kBatchLock
  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, Prepared> cache_;
  std::int64_t statements_ = 0;
};

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(std::string url, std::size_t max) : Database(max), url_(std::move(url)) {}
  std::string backend() const override { return "postgresql"; }
  std::string location() const override { return redact_postgresql_url(url_); }

 protected:
  std::unique_ptr<Connection> open_connection() override { return std::make_unique<PostgresConnection>(url_); }

 private:
  std::string url_;
};

}  // namespace

std::string redact_postgresql_url(const std::string& url) {
  static const std::regex userinfo(R"(^(postgres(?:ql)?://[^:@/]*):[^@/]*@)");
  static const std::regex password_param(R"(([?&])password=[^&]*&?)");
  auto out = std::regex_replace(url, userinfo, "$1@");
  out = std::regex_replace(out, password_param, "$1");
  if (!out.empty() && (out.back() == '&' || out.back() == '?')) out.pop_back();
  return out;
}

std::string postgresql_url_with_database(const std::string& url, const std::string& database) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) throw std::invalid_argument("not a PostgreSQL URL: " + redact_postgresql_url(url));
  const auto path = url.find('/', scheme + 3);
  const auto query = url.find('?', scheme + 3);
  if (path == std::string::npos || (query != std::string::npos && path > query)) {
    const auto at = query == std::string::npos ? url.size() : query;
    return url.substr(0, at) + "/" + database + url.substr(at);
  }
  const auto end = query == std::string::npos ? url.size() : query;
  return url.substr(0, path + 1) + database + url.substr(end);
}

std::unique_ptr<Database> open_postgresql(const std::string& url, std::size_t max_connections) {
  auto db = std::make_unique<PostgresDatabase>(url, max_connections);
  // Fail now, not at the first request, when the server cannot be reached; and give
  // this database the functions Parley's SQL calls, as SQLite connections register
  // them (the same definition in every instance: a lock keeps two from replacing it
  // at once).
  db->write([](Connection& c) {
    c.lock("parley:functions");
    install_postgresql_functions(c);
  });
  return db;
}

}  // namespace parley::storage
