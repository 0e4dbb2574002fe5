#include "app/db_copy.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <set>

#include "app/application.h"
#include "ledger/checkpoint_check.h"
#include "ledger/log_key.h"
#include "storage/copy.h"
#include "storage/journal.h"
#include "storage/migrations.h"
#include "storage/open.h"

namespace parley::app {

DbCopyCommand::DbCopyCommand(CLI::App& cli, const std::function<void(CLI::App*)>& add_common) {
  auto* db = cli.add_subcommand("db", "the database as a whole");
  db->require_subcommand(1);
  cmd_ = db->add_subcommand(
      "copy",
      "copy every row of one database into a new one (e.g. SQLite to PostgreSQL), then verify row counts and the "
      "journal on the target. The target must hold no tables (a new SQLite file, or a database made with createdb): "
      "a target that holds any is refused. Stop the server first; move parley.key and ledger.key with the data folder");
  add_common(cmd_);
  cmd_->remove_option(cmd_->get_option("--db"));   // --from and --to say which
  cmd_->add_option("--from", from_, "the source database URL (sqlite:PATH or postgresql://...), only read")->required();
  cmd_->add_option("--to", to_, "the target database URL: must hold no tables yet")->required();
}

namespace {

// A refusal: said on stderr, exit code 2.
struct Refused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void check_url(const std::string& option, const std::string& url) {
  if (!storage::is_postgresql_url(url) && !storage::sqlite_path(url))
    throw Refused(option + ": unknown database URL scheme in '" + url + "' (expected sqlite:PATH or postgresql://...)");
}

// The source is at this build's schema: the same migrations recorded, no more, no fewer.
void check_source_schema(storage::Database& source, const std::vector<storage::Migration>& known) {
  std::set<std::int64_t> recorded;
  try {
    source.read([&](storage::Connection& c) {
      for (auto v : storage::recorded_migrations(c)) recorded.insert(v);
    });
  } catch (const storage::Unavailable&) {
    throw;
  } catch (const std::exception&) {
    throw Refused("--from: the source holds no Parley schema (no schema_migrations table)");
  }
  std::set<std::int64_t> expected;
  for (const auto& m : known) expected.insert(m.version);
  for (auto v : recorded)
    if (!expected.count(v))
      throw Refused(std::string("--from: the source's schema has migration ")
                        .append(std::to_string(v))
                        .append(", which this build of Parley does not know: copy it with the build that wrote it"));
  for (auto v : expected)
    if (!recorded.count(v))
      throw Refused(std::string("--from: the source's schema lacks migration ")
                        .append(std::to_string(v))
                        .append(": run `parley migrate` on it first (with the server stopped)"));
}

void check_target_empty(storage::Database& target) {
  const auto tables = target.read([](storage::Connection& c) { return storage::user_tables(c); });
  if (!tables.empty())
    throw Refused(std::string("--to: the target already holds ")
                      .append(std::to_string(tables.size()))
                      .append(" tables (")
                      .append(tables.front())
                      .append(", ...): give a new, empty database (a new SQLite file, or `createdb`); nothing was written"));
}

void print_tables(const std::vector<storage::TableCopy>& copied) {
  std::size_t width = 5;
  for (const auto& t : copied) width = std::max(width, t.table.size());
  std::cout << std::left << std::setw(static_cast<int>(width)) << "table" << std::right << std::setw(12) << "source"
            << std::setw(12) << "target" << "\n";
  for (const auto& t : copied)
    std::cout << std::left << std::setw(static_cast<int>(width)) << t.table << std::right << std::setw(12)
              << t.source_rows << std::setw(12) << t.target_rows << (t.matches() ? "" : "  MISMATCH") << "\n";
}

// The ledger's verifier key, when the installation's key file is at hand.
std::optional<tlog::Verifier> ledger_verifier(Config config, const std::string& source_url) {
  config.db_url = source_url;
  try {
    if (auto key = ledger::load_log_key(config.resolved_ledger_key())) return key->verifier();
  } catch (const std::invalid_argument&) {
    // A PostgreSQL source without --data-dir: no key file to look for.
  }
  return std::nullopt;
}

// 0 when the target's journal is intact, has the source's head, and its tree matches
// the latest checkpoint; 1 (said on stdout) otherwise.
int verify_journal(storage::Database& source, storage::Database& target, const std::optional<tlog::Verifier>& key) {
  const auto source_report = source.read([](storage::Connection& c) { return storage::Journal::verify(c); });
  const auto report = target.read([](storage::Connection& c) { return storage::Journal::verify(c); });
  if (report.broken_at) {
    std::cout << "target's journal BROKEN at entry " << *report.broken_at << ": " << report.reason << "\n";
    return 1;
  }
  if (report.head != source_report.head || report.entries != source_report.entries) {
    std::cout << "target's journal MISMATCH: " << report.entries << " entries, head " << report.head
              << "; the source's: " << source_report.entries << " entries, head " << source_report.head << "\n";
    return 1;
  }
  const auto tree =
      target.read([&](storage::Connection& c) { return ledger::check_latest_checkpoint(c, report.entries, key); });
  if (!tree.ok) {
    std::cout << "target's journal BROKEN: " << tree.sentence << "\n";
    return 1;
  }
  std::cout << "target's journal intact: " << report.entries << " entries, head " << report.head
            << " (the source's); " << tree.sentence << "\n";
  return 0;
}

}  // namespace

std::optional<int> DbCopyCommand::run(const Config& config) {
  if (!cmd_->parsed()) return std::nullopt;
  ::umask(077);   // a new SQLite file holds every TLP:RED exchange: Parley's user's only
  try {
    check_url("--from", from_);
    check_url("--to", to_);
    if (from_ == to_) throw Refused("--from and --to name the same database");
    if (auto path = storage::sqlite_path(from_); path && !std::filesystem::exists(*path))
      throw Refused(std::string("--from: no such SQLite file: ").append(*path));
    const auto migrations = all_migrations(config.iso_codes);
    auto source = storage::open_database(from_, 2);
    check_source_schema(*source, migrations);
    auto target = storage::open_database(to_, 2);
    check_target_empty(*target);

    storage::migrate(*target, migrations);
    const auto copied = storage::copy_rows(*source, *target);
    std::cout << "copied " << source->location() << " (" << source->backend() << ") to " << target->location() << " ("
              << target->backend() << ")\n";
    print_tables(copied);
    int rc = 0;
    for (const auto& t : copied) {
      if (t.matches()) continue;
      std::cout << "row counts differ in table " << t.table << ": source " << t.source_rows << ", copied " << t.copied
                << ", target " << t.target_rows << "\n";
      rc = 1;
    }
    if (verify_journal(*source, *target, ledger_verifier(config, from_)) != 0) rc = 1;
    if (rc == 0)
      std::cout << "copy verified. The key files are not in the database: move parley.key and ledger.key from the "
                   "source's data folder to the target's (--data-dir, or [database] data_dir)\n";
    return rc;
  } catch (const Refused& e) {
    std::cerr << "refused: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace parley::app
