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

  // Pipeline mode (libpq): a held statement is sent at once but not waited for; the
  // next statement that needs an answer (run()) or flush() sends a sync and reads every
  // answer in order, the first error being thrown. At most kMaxHeld are held (a bound
  // on memory and on how late an error comes): the next one drains them first, and so
  // may throw the error of an earlier one, as the next statement would.
  void execute_later(std::string_view sql, const Params& params) override {
    ensure_open();
    if (held_.size() >= kMaxHeld) drain(true);
    if (held_.empty() && PQpipelineStatus(conn_) == PQ_PIPELINE_OFF && !PQenterPipelineMode(conn_))
      fail(nullptr, sql);
    try {
      send(sql, params);
    } catch (...) {
      leave_idle_pipeline();   // nothing was sent: the connection stays usable
      throw;
    }
  }

  void flush() override {
    if (!held_.empty()) drain(true);
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
    if (name == kWriteBatchLock) batch_locked_ = true;
  }

  void begin(bool write) override {
    batch_locked_ = false;
    run(write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ", {});
  }
  void commit() override {
    batch_locked_ = false;
    // PostgreSQL answers COMMIT of a transaction an earlier error aborted with a
    // rollback, not an error: a write that caught that error and returned would pass
    // for committed. Refused here; the caller rolls back. (Held statements travel with
    // the COMMIT: one of them failing makes the server skip it, and run() throws.)
    if (conn_ && held_.empty() && PQtransactionStatus(conn_) == PQTRANS_INERROR)
      throw std::runtime_error("PostgreSQL: the transaction was aborted by an earlier error; nothing was committed");
    run("COMMIT", {});
  }
  void rollback() override {
    batch_locked_ = false;
    if (!held_.empty()) drain(false);   // undone anyway: their errors are moot
    if (!broken() && PQtransactionStatus(conn_) != PQTRANS_IDLE) run("ROLLBACK", {});
  }

 private:
  struct Prepared {
    std::string name;
    int params;
  };
  // A command sent in pipeline mode whose answer is not read yet.
  struct Held {
    std::string sql;          // for the error message
    std::string prepare_key;  // a PREPARE: un-cached if it does not succeed
  };
  static constexpr std::size_t kMaxHeld = 64;

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
      held_.clear();
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

  // The protocol state is unknown (an answer missing from a pipeline): this connection
  // is done, as when the server goes away.
  [[noreturn]] void lost(std::string_view what) {
    std::string msg = "PostgreSQL connection lost (" + std::string(what) + "): " + PQerrorMessage(conn_);
    PQfinish(conn_);
    conn_ = nullptr;
    cache_.clear();
    held_.clear();
    throw Unavailable(msg);
  }

  void ensure_open() {
    if (!conn_) throw Unavailable("PostgreSQL connection lost");
  }

  void run_simple(const std::string& sql) {
    ensure_open();
    if (!held_.empty()) drain(true);   // PQexec is not allowed in pipeline mode
    leave_idle_pipeline();
    Result res(PQexec(conn_, sql.c_str()));
    const auto status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(res.get(), sql);
  }

  // Pipeline mode with nothing held (a send that failed before anything went out)
  // is left, or synchronous calls would all be refused.
  void leave_idle_pipeline() {
    if (conn_ && held_.empty() && PQpipelineStatus(conn_) != PQ_PIPELINE_OFF && !PQexitPipelineMode(conn_))
      lost("leaving pipeline mode");
  }

  Result run(std::string_view sql, const Params& params) {
    ensure_open();
    leave_idle_pipeline();
    if (!held_.empty()) {
      if (sql.substr(0, 8) == "ROLLBACK") {
        drain(false);   // what the rollback undoes: its errors are moot
      } else {
        send(sql, params);   // with the held statements: one round trip for all
        return drain(true);
      }
    }
    Result res;
    if (unprepared(sql, params)) {
      const std::string text(sql);
      res.reset(PQexecParams(conn_, text.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0));
    } else {
      const auto& statement = prepared(sql, params, false);
      Bound b(params);
      res.reset(PQexecPrepared(conn_, statement.name.c_str(), static_cast<int>(params.size()), b.values(), b.lengths(),
                               nullptr, 0));
    }
    const auto status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(res.get(), sql);
    return res;
  }

  // Parameters as libpq takes them: text, int64 and double written out, NULL as null.
  class Bound {
   public:
    explicit Bound(const Params& params)
        : storage_(params.size()), values_(params.size(), nullptr), lengths_(params.size(), 0) {
      for (std::size_t i = 0; i < params.size(); ++i) {
        std::visit(
            [&](const auto& v) {
              using T = std::decay_t<decltype(v)>;
              if constexpr (std::is_same_v<T, std::monostate>) {
                values_[i] = nullptr;
              } else if constexpr (std::is_same_v<T, std::int64_t>) {
                storage_[i] = std::to_string(v);
                values_[i] = storage_[i].c_str();
              } else if constexpr (std::is_same_v<T, double>) {
                char buf[64];
                std::snprintf(buf, sizeof buf, "%.17g", v);
                storage_[i] = buf;
                values_[i] = storage_[i].c_str();
              } else {
                values_[i] = v.c_str();
                lengths_[i] = static_cast<int>(v.size());
              }
            },
            params[i]);
      }
    }
    const char* const* values() const { return values_.empty() ? nullptr : values_.data(); }
    const int* lengths() const { return lengths_.empty() ? nullptr : lengths_.data(); }

   private:
    std::vector<std::string> storage_;
    std::vector<const char*> values_;
    std::vector<int> lengths_;
  };

  // The statement prepared for `sql` with these parameters' types, prepared now if new:
  // in pipeline mode the PREPARE is sent and held like any statement.
  const Prepared& prepared(std::string_view sql, const Params& params, bool pipelined) {
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
    if (it != cache_.end()) return it->second;
    int count = 0;
    const auto text = dollar_placeholders(sql, types, &count);
    if (static_cast<std::size_t>(count) != params.size())
      throw std::logic_error("parameter count mismatch for: " + std::string(sql));
    std::vector<Oid> oids;
    for (char t : types) oids.push_back(t == 'i' ? kInt8 : t == 'd' ? kFloat8 : 0);
    if (cache_.size() >= 512) {
      if (pipelined) {
        if (!PQsendQueryParams(conn_, "DEALLOCATE ALL", 0, nullptr, nullptr, nullptr, nullptr, 0))
          fail(nullptr, "DEALLOCATE ALL");
        held_.push_back({"DEALLOCATE ALL", ""});
      } else {
        run_simple("DEALLOCATE ALL");
      }
      cache_.clear();
    }
    std::string name = "p" + std::to_string(++statements_);
    if (pipelined) {
      if (!PQsendPrepare(conn_, name.c_str(), text.c_str(), count, oids.empty() ? nullptr : oids.data()))
        fail(nullptr, sql);
      held_.push_back({std::string(sql.substr(0, 200)), key});
    } else {
      Result prep(PQprepare(conn_, name.c_str(), text.c_str(), count, oids.empty() ? nullptr : oids.data()));
      if (!prep || PQresultStatus(prep.get()) != PGRES_COMMAND_OK) fail(prep.get(), sql);
    }
    return cache_.emplace(std::move(key), Prepared{std::move(name), count}).first->second;
  }

  // Savepoint statements, named per write (database.cc), are not worth preparing: each
  // name would be a statement of its own in the cache.
  static bool unprepared(std::string_view sql, const Params& params) {
    return params.empty() && (sql.substr(0, 10) == "SAVEPOINT " || sql.substr(0, 8) == "RELEASE " ||
                              sql.substr(0, 12) == "ROLLBACK TO ");
  }

  // Sends `sql` in pipeline mode (the connection is in it), its answer held.
  void send(std::string_view sql, const Params& params) {
    if (unprepared(sql, params)) {
      const std::string text(sql);
      if (!PQsendQueryParams(conn_, text.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0)) fail(nullptr, sql);
      held_.push_back({text, ""});
      return;
    }
    const auto& statement = prepared(sql, params, true);
    Bound b(params);
    if (!PQsendQueryPrepared(conn_, statement.name.c_str(), static_cast<int>(params.size()), b.values(), b.lengths(),
                             nullptr, 0))
      fail(nullptr, sql);
    held_.push_back({std::string(sql.substr(0, 200)), ""});
  }

  // Ends the pipeline: a sync, every held answer read in order, pipeline mode left.
  // Returns the last command's result; throws the first error when `raise` (a broken
  // connection always throws: Unavailable).
  Result drain(bool raise) {
    std::vector<Held> held;
    held.swap(held_);
    if (!PQpipelineSync(conn_)) lost("pipeline sync");
    Result first_error, last;
    std::string error_sql;
    for (const auto& h : held) {
      Result r(PQgetResult(conn_));
      if (!r) lost(h.sql);
      while (PGresult* more = PQgetResult(conn_)) PQclear(more);   // each command's answers end with NULL
      const auto status = PQresultStatus(r.get());
      const bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
      if (!ok && !h.prepare_key.empty()) cache_.erase(h.prepare_key);   // failed or skipped: not prepared
      if (status == PGRES_FATAL_ERROR && !first_error) {
        first_error = std::move(r);
        error_sql = h.sql;
        continue;
      }
      last = std::move(r);
    }
    Result sync(PQgetResult(conn_));
    if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC) lost("pipeline sync");
    if (!PQexitPipelineMode(conn_)) {
      while (PGresult* more = PQgetResult(conn_)) PQclear(more);
      if (!PQexitPipelineMode(conn_)) lost("leaving pipeline mode");
    }
    if (first_error && (raise || broken())) fail(first_error.get(), error_sql);
    return last;
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

  bool batch_locked_ = false;   // this transaction holds kWriteBatchLock
  PGconn* conn_ = nullptr;
  std::vector<Held> held_;      // sent in pipeline mode, answers not read yet
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
