#include "app/directory_cli.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "common/csv.h"
#include "common/problem.h"
#include "common/text.h"

namespace parley::app {

DirectoryCommands::DirectoryCommands(CLI::App& cli, const std::function<void(CLI::App*)>& add_common) {
  auto* dir = cli.add_subcommand("directory", "keep the directory current: reconfirmation, CSV import");
  dir->require_subcommand(1);
  auto* reconfirm = dir->add_subcommand("reconfirm", "annual reconfirmation of a forum's points of contact");
  reconfirm->require_subcommand(1);
  reconfirm_start_ = reconfirm->add_subcommand("start", "ask every member state's focal point to confirm its entries by a date");
  add_common(reconfirm_start_);
  reconfirm_start_->add_option("--forum", forum_, "forum code, e.g. CICA")->required();
  reconfirm_start_->add_option("--due", due_, "due date, YYYY-MM-DD")->required();
  reconfirm_start_->add_option("--message", message_, "the message to the focal points")->required();
  reconfirm_start_->add_option("--remind-days", remind_days_, "remind this many days before the due date (default 7)");
  reconfirm_status_ = reconfirm->add_subcommand("status", "which states have answered, which have not, which are overdue");
  add_common(reconfirm_status_);
  reconfirm_status_->add_option("--forum", forum_, "forum code, e.g. CICA")->required();
  reconfirm_status_->add_option("id", id_, "the reconfirmation's number (default: the latest)");
  reconfirm_status_->add_option("--format", format_, "text or json")->check(CLI::IsMember({"text", "json"}));
  import_ = dir->add_subcommand("import", "import points of contact from a spreadsheet saved as CSV");
  add_common(import_);
  import_->add_option("file", file_, "the CSV file, or - for standard input")->required();
  import_->add_option("--map,--mapping", map_, "HEADER=FIELD, once per column, e.g. --map Country=state --map E-mail=email")
      ->required();
  import_->add_option("--default", defaults_, "FIELD=VALUE for rows without it (state, type, availability, timezone, languages)");
  import_->add_option("--separator", separator_, "comma, semicolon, tab or auto (default)");
  import_->add_flag("--dry-run", dry_run_, "report what each row would do, and every error, without writing");
  import_->add_option("--format", format_, "text or json")->check(CLI::IsMember({"text", "json"}));
}

namespace {

std::pair<std::string, std::string> split_pair(const std::string& s, const std::string& option) {
  const auto eq = s.rfind('=');
  if (eq == std::string::npos || eq == 0) throw Problem::invalid(option, "'" + s + "' is not NAME=VALUE");
  return {s.substr(0, eq), s.substr(eq + 1)};
}

void print_status(const nlohmann::json& r) {
  const auto& s = r["summary"];
  std::cout << "reconfirmation " << r["id"].get<std::int64_t>() << " of " << r["forum"].get<std::string>() << ", due "
            << r["due_date"].get<std::string>() << ", started " << r["started_at"].get<std::string>() << " by "
            << r["started_by"].get<std::string>() << "\n"
            << s["states"].get<std::int64_t>() << " states: " << s["confirmed"].get<std::int64_t>() << " confirmed, "
            << s["unanswered"].get<std::int64_t>() << " not answered, " << s["overdue"].get<std::int64_t>()
            << " overdue\n\n";
  for (const auto& st : r["states"]) {
    std::cout << st["state"].get<std::string>() << "\t" << st["status"].get<std::string>() << "\t"
              << (st["confirmed_at"].is_null() ? std::string("-") : st["confirmed_at"].get<std::string>()) << "\t"
              << st["name"].get<std::string>();
    if (st["focal_points"].empty()) std::cout << "\t(no focal point account)";
    std::cout << "\n";
  }
}

}  // namespace

std::optional<int> DirectoryCommands::run(Application& app) {
  if (reconfirm_start_->parsed()) {
    directory::ReconfirmationInput in;
    in.due_date = due_;
    in.message = trim(message_);
    in.remind_days_before = remind_days_;
    if (in.message.empty()) throw Problem::invalid("--message", "is required");
    if (remind_days_ < 1 || remind_days_ > 90) throw Problem::invalid("--remind-days", "must be between 1 and 90");
    auto r = app.reconfirmations().start(nullptr, forum_, in);
    std::cout << "started reconfirmation " << r["id"].get<std::int64_t>() << " of " << r["forum"].get<std::string>()
              << ": " << r["summary"]["states"].get<std::int64_t>() << " states asked, due " << r["due_date"].get<std::string>()
              << "\n";
    return 0;
  }
  if (reconfirm_status_->parsed()) {
    auto id = id_;
    if (id == 0) {
      auto list = app.reconfirmations().list(nullptr, forum_);
      if (list["items"].empty()) throw Problem::not_found("No reconfirmation of " + to_upper(forum_) + " yet.");
      id = list["items"][0]["id"].get<std::int64_t>();
    }
    auto r = app.reconfirmations().detail(nullptr, forum_, id);
    if (format_ == "json") std::cout << r.dump(2) << "\n";
    else print_status(r);
    return 0;
  }
  if (import_->parsed()) {
    directory::ImportRequest req;
    std::ostringstream text;
    if (file_ == "-") {
      text << std::cin.rdbuf();
    } else {
      std::ifstream f(file_, std::ios::binary);
      if (!f) throw Problem::invalid("file", "cannot open " + file_);
      text << f.rdbuf();
    }
    req.csv = text.str();
    if (req.csv.size() > CsvLimits{}.max_bytes) throw Problem::invalid("file", "is larger than 4 MiB");
    const auto sep = to_lower(separator_);
    req.separator = sep == "comma" || sep == "," ? ',' : sep == "semicolon" || sep == ";" ? ';' : sep == "tab" ? '\t' : 0;
    std::vector<std::pair<std::string, std::string>> mapping;
    for (const auto& m : map_) mapping.push_back(split_pair(m, "--map"));
    req.mapping = mapping;
    for (const auto& d : defaults_) req.defaults.push_back(split_pair(d, "--default"));
    req.dry_run = true;
    auto report = app.importer().run(nullptr, req);   // always checked first: every error at once
    const auto errors = report["summary"]["error"].get<std::int64_t>();
    if (!dry_run_ && errors == 0) {
      req.dry_run = false;
      report = app.importer().run(nullptr, req);
    }
    if (format_ == "json") {
      std::cout << report.dump(2) << "\n";
      return errors ? 1 : 0;
    }
    for (const auto& row : report["rows"]) {
      std::cout << "row " << row["row"].get<std::size_t>() << "\t" << row["action"].get<std::string>() << "\t"
                << (row["state"].is_null() ? std::string("-") : row["state"].get<std::string>()) << "\t"
                << (row["name"].is_null() ? std::string("-") : row["name"].get<std::string>()) << "\n";
      for (const auto& e : row["errors"])
        std::cout << "    " << (e["column"].is_null() ? std::string("") : e["column"].get<std::string>() + " ")
                  << "(" << e["field"].get<std::string>() << "): " << e["reason"].get<std::string>() << "\n";
    }
    const auto& s = report["summary"];
    std::cout << s["rows"].get<std::int64_t>() << " rows: " << s["create"].get<std::int64_t>() << " to create, "
              << s["update"].get<std::int64_t>() << " to update, " << s["unchanged"].get<std::int64_t>()
              << " unchanged, " << errors << " with errors; "
              << (report["applied"].get<bool>() ? "imported" : dry_run_ ? "dry run: nothing written"
                                                                        : "nothing written (fix the errors)")
              << "\n";
    return errors ? 1 : 0;
  }
  return std::nullopt;
}

}  // namespace parley::app
