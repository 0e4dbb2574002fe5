#include "app/cli.h"

#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <deque>
#include <fstream>
#include <future>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <optional>

#include "app/application.h"
#include "app/backup_cli.h"
#include "app/db_copy.h"
#include "app/forum_cli.h"
#include "app/directory_cli.h"
#include "app/ledger_cli.h"
#include "app/verify_cli.h"
#include "ledger/checkpoint_check.h"
#include "ledger/log_key.h"
#include "app/witness_cli.h"
#include "app/negotiate_cli.h"
#include "exchange/bundle_reader.h"
#include "exchange/matcher.h"
#include "exchange/stix_validate.h"
#include "library/extract.h"
#include "library/extract_process.h"
#include "common/problem.h"
#include "common/text.h"
#include "common/time.h"
#include "storage/journal.h"

namespace parley::app {

namespace {

// Standard output without a flush per line (spdlog's stdout sink flushes every line,
// a write(2) per request). Flushed every second, on warnings and at exit.
class BufferedStdoutSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    std::fwrite(formatted.data(), 1, formatted.size(), stdout);
  }
  void flush_() override { std::fflush(stdout); }
};

void setup_logging() {
  // Access log on stdout, everything else on stderr; each line a JSON object after the
  // timestamp and level, easy to ship to a log collector.
  auto access = std::make_shared<spdlog::logger>("access", std::make_shared<BufferedStdoutSink>());
  spdlog::register_logger(access);
  access->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ access %v", spdlog::pattern_time_type::utc);
  auto err = spdlog::stderr_logger_mt("parley");
  err->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  spdlog::set_default_logger(err);
  // Buffered; flushed every second and at exit. Errors are flushed at once.
  spdlog::flush_every(std::chrono::seconds(1));
  err->flush_on(spdlog::level::warn);
}

std::string read_password(const std::string& prompt) {
  if (const char* env = std::getenv("PARLEY_PASSWORD")) return env;
  std::cerr << prompt << std::flush;
  std::string line;
  if (!std::getline(std::cin, line)) throw std::runtime_error("no password given on standard input");
  return line;
}

void print_problem(const Problem& p) {
  std::cerr << "error: " << p.detail() << "\n";
  for (const auto& e : p.errors()) std::cerr << "  " << e.field << ": " << e.reason << "\n";
}

std::string seconds_or_dash(const nlohmann::json& v) {
  if (v.is_null()) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", v.get<double>());
  return buf;
}

void print_check_report(const nlohmann::json& r) {
  const auto& s = r["summary"];
  std::cout << "check " << r["id"].get<std::int64_t>() << " of " << r["forum"].get<std::string>() << ", started "
            << r["started_at"].get<std::string>() << " by " << r["started_by"].get<std::string>() << "\n";
  char rate[16];
  std::snprintf(rate, sizeof rate, "%.1f%%", s["response_rate"].get<double>() * 100.0);
  std::cout << "points of contact: " << s["people"].get<std::int64_t>() << ", reached "
            << s["reached"].get<std::int64_t>() << ", acknowledged " << s["acknowledged"].get<std::int64_t>() << " ("
            << rate << "); median " << seconds_or_dash(s["median_seconds"]) << ", 90th percentile "
            << seconds_or_dash(s["p90_seconds"]) << "\n\n";
  for (const auto& st : r["states"]) {
    std::cout << st["state"].get<std::string>() << "  " << st["name"].get<std::string>() << "\n";
    if (st["people"].empty()) std::cout << "    (no point of contact account)\n";
    for (const auto& p : st["people"])
      std::cout << "    " << p["username"].get<std::string>() << "\t" << (p["reached"].get<bool>() ? "reached" : "not reached")
                << "\t" << (p["acknowledged"].get<bool>() ? "acknowledged after " + seconds_or_dash(p["seconds_to_acknowledge"])
                                                         : std::string("not acknowledged"))
                << "\n";
  }
}

// `parley import stix`: streams the file through the exchange in batches, each one
// transaction; a killed import leaves whole batches, and running it again stores only
// what is missing (versions already there are counted, not duplicated).
int import_bundle(Application& app, const std::string& forum, const std::string& scope, const std::string& state,
                  const std::string& file) {
  std::FILE* in = file == "-" ? stdin : std::fopen(file.c_str(), "rb");
  if (!in) {
    std::cerr << "error: cannot open " << file << "\n";
    return 2;
  }
  const auto started = std::chrono::steady_clock::now();
  auto collection = app.exchange().import_scope(forum, scope, "cli");
  exchange::BundleReader reader([in](char* buf, std::size_t n) { return std::fread(buf, 1, n, in); });
  exchange::IngestOutcome out;
  try {
    out = app.exchange().import("cli", state, collection, reader);
  } catch (const exchange::BundleError& e) {
    if (in != stdin) std::fclose(in);
    std::cerr << "error: " << file << " is not a STIX bundle: " << e.what() << " (" << reader.objects_read()
              << " objects before it were stored)\n";
    return 2;
  }
  if (in != stdin) std::fclose(in);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (const auto& f : out.failures)
    std::cerr << "refused: object " << f.index << (f.id.empty() ? "" : " " + f.id) << ": "
              << (f.property.empty() ? "" : f.property + ": ") << f.rule << "\n";
  std::printf("%zu objects read in %.2f s (%.0f objects/s): %zu stored, %zu already there, %zu refused; collection %s (%s)\n",
              out.total, secs, secs > 0 ? static_cast<double>(out.total) / secs : 0.0, out.stored, out.duplicates,
              out.rejected, collection.id.c_str(), collection.title.c_str());
  return out.rejected ? 1 : 0;
}

// `parley match`: loads the indicators (from the forum's exchange, or a STIX bundle),
// then reads the input a line at a time and prints one line per hit:
// LINE<TAB>INDICATOR-ID<TAB>VALUE<TAB>NAME (or a JSON object per hit). A summary goes to
// standard error. Exit status: 0 no hit, 1 some hit (like grep), 2 error.
int match_input(Application& app, const std::string& forum, const std::string& as_user, const std::string& bundle,
                const std::string& input, const std::string& format) {
  exchange::Matcher matcher;
  std::size_t refused = 0, other_languages = 0, revoked = 0;
  const auto t0 = std::chrono::steady_clock::now();
  const auto add = [&](std::string_view json) {
    auto f = exchange::indicator_fields(json);
    if (!f) return;
    if (f->revoked) {
      ++revoked;
      return;
    }
    if (f->pattern_type != "stix") {
      ++other_languages;
      return;
    }
    try {
      matcher.add(f->id, f->name, f->pattern);
    } catch (const exchange::PatternError& e) {
      if (++refused <= 20) std::cerr << "indicator " << f->id << " not used: " << e.what() << "\n";
    }
  };
  if (!bundle.empty()) {
    std::FILE* in = std::fopen(bundle.c_str(), "rb");
    if (!in) {
      std::cerr << "error: cannot open " << bundle << "\n";
      return 2;
    }
    exchange::BundleReader reader([in](char* buf, std::size_t n) { return std::fread(buf, 1, n, in); });
    try {
      while (auto o = reader.next()) add(*o);
    } catch (const exchange::BundleError& e) {
      std::fclose(in);
      std::cerr << "error: " << bundle << " is not a STIX bundle: " << e.what() << "\n";
      return 2;
    }
    std::fclose(in);
  } else {
    std::optional<auth::Principal> who;
    if (!as_user.empty()) {
      who = app.auth().principal_of(as_user);
      if (!who) throw Problem::not_found("There is no user " + as_user + ".");
    }
    app.exchange().for_each_indicator(forum, who ? &*who : nullptr, [&](const std::string& body) { add(body); });
  }
  const auto t1 = std::chrono::steady_clock::now();

  std::FILE* in = input == "-" ? stdin : std::fopen(input.c_str(), "rb");
  if (!in) {
    std::cerr << "error: cannot open " << input << "\n";
    return 2;
  }
  std::vector<char> inbuf(1 << 20);
  std::setvbuf(in, inbuf.data(), _IOFBF, inbuf.size());
  // Lines are matched in chunks on two threads (Matcher::match_line is const); the
  // output keeps the input's order.
  struct Chunk {
    std::string text;
    std::size_t first_line = 0;
  };
  struct Result {
    std::string out;
    std::size_t hits = 0;
  };
  const auto match_chunk = [&matcher, &format](const Chunk& chunk) {
    Result r;
    std::vector<exchange::Matcher::Hit> hits;
    std::size_t number = chunk.first_line;
    std::string_view rest(chunk.text);
    while (!rest.empty()) {
      const auto nl = rest.find('\n');
      auto l = rest.substr(0, nl);
      rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
      ++number;
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      hits.clear();
      matcher.match_line(l, hits);
      for (const auto& h : hits) {
        const auto& ind = matcher.indicators()[h.indicator];
        if (format == "json") {
          r.out += nlohmann::json{{"line", number}, {"indicator", ind.id}, {"name", ind.name}, {"value", h.value}}.dump();
          r.out += '\n';
        } else {
          r.out += std::to_string(number) + '\t' + ind.id + '\t' + h.value + '\t' + ind.name + '\n';
        }
      }
      r.hits += hits.size();
    }
    return r;
  };
  std::deque<std::future<Result>> in_flight;
  std::size_t lines = 0, total_hits = 0;
  const auto drain_one = [&] {
    auto r = in_flight.front().get();
    in_flight.pop_front();
    std::fwrite(r.out.data(), 1, r.out.size(), stdout);
    total_hits += r.hits;
  };
  char* line = nullptr;
  std::size_t cap = 0;
  ssize_t n = 0;
  Chunk chunk;
  const auto submit = [&] {
    if (chunk.text.empty()) return;
    if (in_flight.size() >= 4) drain_one();
    in_flight.push_back(std::async(std::launch::async, match_chunk, std::move(chunk)));
    chunk = Chunk{};
    chunk.first_line = lines;
  };
  while ((n = getline(&line, &cap, in)) > 0) {
    ++lines;
    chunk.text.append(line, static_cast<std::size_t>(n));
    if (line[n - 1] != '\n') chunk.text += '\n';
    if (chunk.text.size() >= (1u << 20)) submit();
  }
  submit();
  while (!in_flight.empty()) drain_one();
  std::free(line);
  if (in != stdin) std::fclose(in);
  std::fflush(stdout);
  const auto t2 = std::chrono::steady_clock::now();
  const double load = std::chrono::duration<double>(t1 - t0).count(), scan = std::chrono::duration<double>(t2 - t1).count();
  std::fprintf(stderr,
               "%zu indicators loaded in %.2f s (%zu exact values, %zu patterns evaluated per line; %zu refused, %zu in "
               "other pattern languages, %zu revoked); %zu lines matched in %.2f s (%.0f lines/s): %zu hits\n",
               matcher.indicators().size(), load, matcher.exact_values(), matcher.evaluated_patterns(), refused,
               other_languages, revoked, lines, scan, scan > 0 ? static_cast<double>(lines) / scan : 0.0, total_hits);
  return total_hits > 0 ? 1 : 0;
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App cli{"Parley: confidence-building measures for ICT security"};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", std::string(version()));

  Config config;
  std::string config_file;
  std::optional<std::string> db_flag, iso_codes_flag, data_dir_flag;
  auto add_common = [&](CLI::App* cmd) {
    cmd->add_option("--config", config_file, "TOML configuration file")->check(CLI::ExistingFile);
    cmd->add_option("--db", db_flag, "database URL: sqlite:PATH or postgresql://USER@HOST/DB (default sqlite:var/parley.db)");
    cmd->add_option("--data-dir", data_dir_flag, "folder for key files and uploads (default: the SQLite file's folder)");
    cmd->add_option("--iso-codes", iso_codes_flag, "folder holding iso-codes/json and locale (default /usr/share)");
  };

  auto* serve = cli.add_subcommand("serve", "run the server");
  add_common(serve);
  std::optional<std::string> listen;
  std::optional<int> threads;
  std::optional<std::string> web_root;
  bool demo = false;
  serve->add_option("--listen", listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
  serve->add_option("--threads", threads, "I/O threads (default 2)");
  serve->add_option("--web-root", web_root, "folder of the built web console");
  serve->add_flag("--demo", demo, "load demo data into an empty database");
  std::optional<std::string> smtp_url, public_url;
  bool manual_clock = false;
  std::optional<std::int64_t> clock_offset;
  serve->add_option("--smtp", smtp_url, "SMTP relay URL for e-mail notifications, e.g. smtp://127.0.0.1:25");
  serve->add_option("--public-url", public_url, "base URL of links in e-mails (default: the listening address)");
  serve->add_flag("--manual-clock", manual_clock, "testing only: time moves when POST /api/v1/testing/clock says");
  serve->add_option("--clock-offset", clock_offset, "testing only: start the manual clock this many seconds ahead");

  auto* user = cli.add_subcommand("user", "manage user accounts");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "add a user (password from PARLEY_PASSWORD or stdin)");
  add_common(user_add);
  std::string username, role = "observer", state, forum, display, email;
  user_add->add_option("username", username)->required();
  user_add->add_option("--role", role, "admin|secretariat|focal_point|poc|observer")->required();
  user_add->add_option("--state", state, "alpha-3 code (focal_point, poc)");
  user_add->add_option("--forum", forum, "forum code (secretariat)");
  user_add->add_option("--name", display, "display name");
  user_add->add_option("--email", email, "e-mail address");
  auto* user_list = user->add_subcommand("list", "list users");
  add_common(user_list);
  auto* user_passwd = user->add_subcommand("passwd", "set a user's password");
  add_common(user_passwd);
  user_passwd->add_option("username", username)->required();
  auto* user_disable = user->add_subcommand("disable", "disable a user and end their sessions");
  add_common(user_disable);
  user_disable->add_option("username", username)->required();
  auto* user_enable = user->add_subcommand("enable", "enable a disabled user");
  add_common(user_enable);
  user_enable->add_option("username", username)->required();

  auto* invite = cli.add_subcommand(
      "invite", "invite someone: prints the single-use link (also e-mailed when [mail] is configured)");
  add_common(invite);
  std::string invite_email, invite_role, invite_state, invite_forum;
  std::optional<std::int64_t> invite_contact;
  std::optional<std::string> invite_url;
  invite->add_option("--email", invite_email, "the invitee's e-mail address")->required();
  invite->add_option("--role", invite_role, "admin|secretariat|focal_point|poc|observer")->required();
  invite->add_option("--state", invite_state, "alpha-3 code (focal_point, poc)");
  invite->add_option("--forum", invite_forum, "forum code (secretariat)");
  invite->add_option("--contact", invite_contact, "the directory contact the account will be (id)");
  invite->add_option("--public-url", invite_url, "base URL of the console (default [mail] public_url, else --listen)");

  auto* token = cli.add_subcommand("token", "manage API tokens");
  token->require_subcommand(1);
  auto* token_create = token->add_subcommand("create", "create an API token for a user; prints it once");
  add_common(token_create);
  std::string token_name = "cli";
  std::optional<int> days;
  token_create->add_option("username", username)->required();
  token_create->add_option("--name", token_name, "a label for the token");
  token_create->add_option("--days", days, "expire after this many days");

  auto* journal = cli.add_subcommand("journal", "the append-only journal");
  journal->require_subcommand(1);
  auto* journal_verify = journal->add_subcommand("verify", "recompute the hash chain; report the first broken link");
  add_common(journal_verify);

  auto* check = cli.add_subcommand("check", "communication checks of a forum's points of contact");
  check->require_subcommand(1);
  auto* check_start = check->add_subcommand("start", "start a check now (the running server delivers it)");
  add_common(check_start);
  std::string check_forum;
  std::vector<std::string> check_states;
  check_start->add_option("--forum", check_forum, "forum code, e.g. CICA")->required();
  check_start->add_option("--states", check_states, "only these member states (alpha-3)")->delimiter(',');
  std::string check_kind = "all";
  check_start->add_option("--kind", check_kind, "only this kind of contact: policy, technical, law_enforcement or all")
      ->check(CLI::IsMember({"all", "policy", "technical", "law_enforcement"}));
  auto* check_report = check->add_subcommand("report", "print a check's report");
  add_common(check_report);
  std::int64_t check_id = 0;
  std::string check_format = "text";
  check_report->add_option("id", check_id)->required();
  check_report->add_option("--format", check_format, "text, json or csv")->check(CLI::IsMember({"text", "json", "csv"}));

  auto* review_cmd = cli.add_subcommand("review", "a forum's annual review of its work plan (HTML, Markdown or JSON)");
  add_common(review_cmd);
  std::string review_forum, review_format = "md", review_out;
  int review_year = 0;
  review_cmd->add_option("--forum", review_forum, "forum code, e.g. ARF")->required();
  review_cmd->add_option("--year", review_year, "the year to review (default: this year)");
  review_cmd->add_option("--format", review_format, "md, html or json")->check(CLI::IsMember({"md", "html", "json"}));
  review_cmd->add_option("--out", review_out, "write to this file (default: standard output)");

  auto* import_cmd = cli.add_subcommand("import", "bulk import");
  import_cmd->require_subcommand(1);
  auto* import_stix = import_cmd->add_subcommand(
      "stix", "store a STIX 2.1 bundle in a forum's exchange (streamed; re-running completes an interrupted import)");
  add_common(import_stix);
  std::string import_forum, import_scope = "forum", import_state, import_file;
  import_stix->add_option("--forum", import_forum, "forum code, e.g. CICA")->required();
  import_stix->add_option("--scope", import_scope,
                          "forum (default), a collection id, or member states: KAZ,UZB");
  import_stix->add_option("--producer", import_state, "the state the objects come from (alpha-3), if any");
  import_stix->add_option("file", import_file, "the bundle, or - for standard input")->required();

  auto* match_cmd = cli.add_subcommand(
      "match", "report which indicators the observations of a log, JSON events or CSV hit (STIX patterns)");
  add_common(match_cmd);
  std::string match_forum, match_as, match_bundle, match_input_file, match_format = "text";
  match_cmd->add_option("--forum", match_forum, "the forum whose indicators to use");
  match_cmd->add_option("--as", match_as, "only the indicators this user may read (default: all of the forum's)");
  match_cmd->add_option("--indicators", match_bundle, "a STIX bundle to take the indicators from instead");
  match_cmd->add_option("--format", match_format, "text or json")->check(CLI::IsMember({"text", "json"}));
  match_cmd->add_option("input", match_input_file, "the observations, one per line, or - for standard input")->required();

  ForumCli forum_cli;
  add_forum_cli(cli, forum_cli, add_common);

  auto* negotiate_cmd = cli.add_subcommand(
      "negotiate", "bracketed compilation texts: render, clean, check (no database needed)");
  negotiate_cmd->require_subcommand(1);
  NegotiateOptions neg;
  auto* neg_render = negotiate_cmd->add_subcommand("render", "print the canonical compilation text (or another format)");
  neg_render->add_option("--format", neg.format, "text (default), markdown, html, akn or json")
      ->check(CLI::IsMember({"text", "markdown", "html", "akn", "json"}));
  neg_render->add_option("--state", neg.state, "the text as this state would have it (alpha-3)");
  neg_render->add_option("file", neg.file, "the compilation text, or - for standard input")->required();
  auto* neg_clean = negotiate_cmd->add_subcommand("clean", "print the clean text: agreed text only");
  neg_clean->add_option("file", neg.file, "the compilation text, or - for standard input")->required();
  auto* neg_check = negotiate_cmd->add_subcommand(
      "check", "report errors, ambiguities to confirm, and every proposal by state (exit 1: errors, 3: ambiguities)");
  neg_check->add_option("--format", neg.format, "text or json")->check(CLI::IsMember({"text", "json"}));
  neg_check->add_option("file", neg.file, "the compilation text, or - for standard input")->required();

  DirectoryCommands directory_cmds(cli, add_common);
  LedgerCommands ledger_cmds(cli, add_common);
  BackupCommand backup_cmd(cli, add_common);
  DbCopyCommand db_copy_cmd(cli, add_common);
  VerifyCommand verify_cmd(cli);
  WitnessCommands witness_cmds(cli);

  auto* migrate_cmd = cli.add_subcommand("migrate", "apply schema migrations and exit");
  add_common(migrate_cmd);
  // The library's text extraction, run by the server as a child process for each
  // contributed file (library/extract_process.h); hidden from --help.
  auto* extract_cmd = cli.add_subcommand("extract", "read a file on stdin, write its text as JSON");
  extract_cmd->group("");
  std::string extract_format;
  library::ExtractLimits extract_limits;
  extract_cmd->add_option("--format", extract_format, "pdf, docx, odt, html, text, or auto (sniffed)")->required();
  extract_cmd->add_option("--max-text", extract_limits.max_text, "bytes of text kept");
  extract_cmd->add_option("--max-pages", extract_limits.max_pages, "PDF pages read");
  extract_cmd->add_option("--max-part", extract_limits.max_part, "bytes inflated from one zip entry");
  extract_cmd->add_option("--max-ratio", extract_limits.max_ratio, "inflated / compressed size of a zip entry");
  extract_cmd->add_option("--max-entries", extract_limits.max_entries, "entries in a zip");
  extract_cmd->add_option("--max-markup", extract_limits.max_markup, "bytes of an HTML page");
  extract_cmd->add_option("--max-attributes", extract_limits.max_attributes, "attributes in one tag");

  CLI11_PARSE(cli, argc, argv);
  if (auto rc = verify_cmd.run()) return *rc;   // no database, no configuration
  if (extract_cmd->parsed()) {                  // nor here: standard input to output
    library::init_extraction();
    return library::run_extract_command(extract_format, extract_limits, std::cin, std::cout);
  }

  if (negotiate_cmd->parsed()) {
    neg.command = neg_render->parsed() ? "render" : neg_clean->parsed() ? "clean" : "check";
    try {
      return negotiate(neg);
    } catch (const std::exception& e) {
      std::cerr << "error: " << e.what() << "\n";
      return 2;
    }
  }

  try {
    setup_logging();
    if (!config_file.empty()) config.load_toml(config_file);
    if (db_flag) config.db_url = *db_flag;
    if (data_dir_flag) config.data_dir = *data_dir_flag;
    if (iso_codes_flag) config.iso_codes = *iso_codes_flag;
    if (listen) config.listen = *listen;
    if (threads) config.server.threads = *threads;
    if (web_root) config.server.web_root = *web_root;
    if (smtp_url) config.mail.smtp_url = *smtp_url;
    if (public_url) config.mail.public_url = *public_url;
    if (manual_clock || clock_offset) config.manual_clock = true;
    if (clock_offset) config.clock_offset_seconds = *clock_offset;
    // The default web root is looked for (here, or beside the executable); a root named
    // by --web-root or the config file is taken as it is.
    if (!web_root && config.server.web_root == "web/dist") config.server.web_root = default_web_root();
    config.resolve_listen();
    if (auto rc = ledger_cmds.run(config)) return *rc;   // no database needed
    if (auto rc = backup_cmd.run(config)) return *rc;    // reads the database, never migrates it
    if (auto rc = db_copy_cmd.run(config)) return *rc;   // reads one database, fills a new one
    if (auto rc = witness_cmds.run()) return *rc;        // a witness has no database

    // What Parley creates (the database and its WAL, the key file, spooled uploads) is
    // readable by Parley's user only: the database holds every TLP:RED exchange.
    ::umask(077);
    Application app(config);
    const std::string actor = "cli";
    if (serve->parsed()) return app.serve(demo);
    if (user_add->parsed()) {
      auto r = auth::parse_role(role);
      if (!r) throw Problem::invalid("role", "must be admin, secretariat, focal_point, poc or observer");
      auto u = app.auth().add_user(actor,
                                   auth::NewUser{username, display.empty() ? username : display, email, *r, state, forum},
                                   read_password("Password for " + username + ": "));
      std::cout << "added user " << u.username << " (" << auth::role_name(u.role) << ", id " << u.id << ")\n";
      return 0;
    }
    if (user_list->parsed()) {
      for (const auto& u : app.auth().list_users())
        std::cout << u.username << "\t" << auth::role_name(u.role) << "\t" << (u.state.empty() ? "-" : u.state) << "\t"
                  << (u.forum.empty() ? "-" : u.forum) << "\t" << (u.disabled ? "disabled" : "active") << "\n";
      return 0;
    }
    if (user_passwd->parsed()) {
      app.auth().set_password(actor, username, read_password("New password for " + username + ": "));
      std::cout << "password changed; the user's sessions were ended\n";
      return 0;
    }
    if (user_disable->parsed() || user_enable->parsed()) {
      app.auth().set_disabled(actor, username, user_disable->parsed());
      std::cout << username << (user_disable->parsed() ? " disabled\n" : " enabled\n");
      return 0;
    }
    if (invite->parsed()) {
      auto r = auth::parse_role(invite_role);
      if (!r) throw Problem::invalid("role", "must be admin, secretariat, focal_point, poc or observer");
      if (!is_email(invite_email)) throw Problem::invalid("email", "is not an e-mail address");
      if (invite_url) app.invitations().set_public_url(*invite_url);
      else if (config.mail.public_url.empty()) app.invitations().set_public_url("http://" + config.listen);
      auth::Principal op;   // the operator: admin rights, journaled as "cli"
      op.username = actor;
      op.role = auth::Role::kAdmin;
      accounts::InvitationInput in;
      in.email = invite_email;
      in.role = *r;
      in.state = to_upper(invite_state);
      in.forum = to_upper(invite_forum);
      in.contact_id = invite_contact;
      const auto out = app.invitations().invite(op, in, true);
      std::cout << "invited " << invite_email << " as " << invite_role << "; the link works once, until "
                << out.invitation["expires_at"].get<std::string>() << (out.mailed ? " (also e-mailed)" : "") << ":\n"
                << out.link << "\n";
      return 0;
    }
    if (token_create->parsed()) {
      auto t = app.auth().create_token_for(actor, username, token_name, days);
      std::cout << t["token"].get<std::string>() << "\n";
      return 0;
    }
    if (journal_verify->parsed()) {
      auto report = app.db().read([](storage::Connection& c) { return storage::Journal::verify(c); });
      if (report.broken_at) {
        std::cout << "journal BROKEN at entry " << *report.broken_at << ": " << report.reason << " (" << report.entries
                  << " entries before it are intact)\n";
        return 1;
      }
      // The tree against what the log signed (ledger/checkpoint_check.h).
      std::optional<tlog::Verifier> log_key;
      if (auto key = ledger::load_log_key(config.resolved_ledger_key())) log_key = key->verifier();
      const auto tree = app.db().read([&](storage::Connection& c) {
        return ledger::check_latest_checkpoint(c, report.entries, log_key);
      });
      if (!tree.ok) {
        std::cout << "journal BROKEN: " << tree.sentence << "\n";
        return 1;
      }
      std::cout << "journal intact: " << report.entries << " entries, head " << report.head << "; " << tree.sentence
                << "\n";
      return 0;
    }
    if (check_start->parsed()) {
      hotline::CheckScope scope;
      for (const auto& st : check_states) scope.states.push_back(to_upper(st));
      scope.kind = check_kind;
      const auto id = app.checks().start_as_operator(to_upper(check_forum), scope);
      std::cout << "started check " << id << " of " << to_upper(check_forum) << "\n";
      return 0;
    }
    if (check_report->parsed()) {
      if (check_format == "csv") {
        std::cout << app.checks().report_csv(nullptr, check_id);
        return 0;
      }
      const auto r = app.checks().report(nullptr, check_id);
      if (check_format == "json") {
        std::cout << r.dump(2) << "\n";
        return 0;
      }
      print_check_report(r);
      return 0;
    }
    if (review_cmd->parsed()) {
      const auto forum = to_upper(trim(review_forum));
      if (forum.empty()) throw Problem::invalid("--forum", "name the forum to review");
      const int year = review_year ? review_year : std::stoi(today_date().substr(0, 4));
      const auto r = app.reviews().review(workplan::ReviewService::operator_for(forum), forum, year);
      const auto text = review_format == "html" ? workplan::review_html(r)
                        : review_format == "json" ? workplan::review_json(r).dump(2) + "\n"
                                                  : workplan::review_markdown(r);
      if (review_out.empty()) {
        std::cout << text;
        return 0;
      }
      std::ofstream out(review_out, std::ios::binary | std::ios::trunc);
      if (!(out << text) || !out.flush()) throw std::runtime_error("cannot write " + review_out);
      std::cout << "wrote the " << forum << " review of " << year << " to " << review_out << "\n";
      return 0;
    }
    if (import_stix->parsed()) return import_bundle(app, to_upper(import_forum), import_scope, to_upper(import_state), import_file);
    if (match_cmd->parsed()) {
      if (match_bundle.empty() == match_forum.empty())
        throw Problem::invalid("--forum", "give --forum (the database's indicators) or --indicators FILE, not both");
      return match_input(app, to_upper(match_forum), match_as, match_bundle, match_input_file, match_format);
    }
    if (forum_cli.parsed()) return run_forum_cli(app, forum_cli);
    if (auto rc = directory_cmds.run(app)) return *rc;
    if (migrate_cmd->parsed()) {
      std::cout << "schema at version " << storage::schema_version(app.db()) << "\n";
      return 0;
    }
  } catch (const Problem& p) {
    print_problem(p);
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  }
  return 0;
}

}  // namespace parley::app
