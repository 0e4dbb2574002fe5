#include "app/application.h"
#include "app/malloc_tuning.h"

#include <spdlog/spdlog.h>

#include <unistd.h>

#include <cstdio>
#include <thread>

#include "common/background_loop.h"
#include "common/log_line.h"
#include "common/time.h"
#include "crypto/secret_box.h"

#include "accounts/routes.h"
#include "accounts/schema.h"
#include "app/demo_data.h"
#include "auth/schema.h"
#include "directory/forum_routes.h"
#include "directory/currency_routes.h"
#include "directory/currency_schema.h"
#include "directory/routes.h"
#include "directory/availability_schema.h"
#include "directory/schema.h"
#include "exchange/routes.h"
#include "exchange/schema.h"
#include "hotline/routes.h"
#include "negotiation/routes.h"
#include "library/routes.h"
#include "glossary/routes.h"
#include "glossary/schema.h"
#include "workplan/routes.h"
#include "workplan/schema.h"
#include "library/schema.h"
#include "negotiation/schema.h"
#include "hotline/schema.h"
#include "ledger/log_key.h"
#include "ledger/routes.h"
#include "app/ledger_rules.h"
#include "ledger/schema.h"
#include "ledger/witness_routes.h"
#include "storage/ledger_refs.h"
#include "mail/outbox.h"
#include "http/server.h"
#include "storage/journal.h"
#include "storage/open.h"
#include "storage/postgres/listener.h"

namespace parley::app {

std::string_view version() { return PARLEY_VERSION; }

std::vector<storage::Migration> all_migrations(const std::string& iso_codes_root) {
  std::vector<storage::Migration> all = {storage::Journal::migration(), storage::Journal::ledger_migration(),
                                         mail::Outbox::migration(), mail::Outbox::claims_migration(),
                                         mail::Outbox::attachments_migration()};
  for (auto& m : directory::migrations(iso_codes_root)) all.push_back(std::move(m));
  for (auto& m : directory::availability_migrations()) all.push_back(std::move(m));
  for (auto& m : directory::currency_migrations()) all.push_back(std::move(m));
  for (auto& m : auth::migrations()) all.push_back(std::move(m));
  for (auto& m : accounts::migrations()) all.push_back(std::move(m));
  for (auto& m : hotline::migrations()) all.push_back(std::move(m));
  for (auto& m : exchange::migrations()) all.push_back(std::move(m));
  for (auto& m : negotiation::migrations()) all.push_back(std::move(m));
  for (auto& m : library::migrations()) all.push_back(std::move(m));
  for (auto& m : glossary::migrations()) all.push_back(std::move(m));
  for (auto& m : workplan::migrations()) all.push_back(std::move(m));
  for (auto& m : ledger::migrations()) all.push_back(std::move(m));
  for (auto& m : ledger::witness_migrations()) all.push_back(std::move(m));
  all.push_back(storage::ledger_refs::migration());   // the ledger's record keys
  for (auto& m : storage::cluster_migrations()) all.push_back(std::move(m));   // several instances
  return all;
}

namespace {
// The leases (storage/cluster.h): what runs on one instance of a cluster at a time.
constexpr const char* kLeaseSigner = "ledger.checkpoint_signer";
constexpr const char* kLeaseWitnesses = "ledger.witness_client";
constexpr const char* kLeaseScheduler = "hotline.scheduler";
constexpr const char* kLeaseReconfirmation = "directory.reconfirmation";
constexpr const char* kLeaseLibraryDigest = "library.digest";
}  // namespace

// Events published on another instance of the cluster reach this one's streams with
// their audience rebuilt from data, and delivery recorded here (storage/cluster_events.h).
void Application::register_cluster_kinds() {
  EventKinds::add_audience("hotline.access", &hotline::HotlineService::audience_from);
  EventKinds::add_audience("exchange.collection", &exchange::ExchangeService::audience_from);
  EventKinds::add_audience("ledger.witnesses", &ledger::WitnessService::audience_from);
  EventKinds::add_audience("directory.reconfirmation", &directory::ReconfirmationService::audience_from);
  EventKinds::add_audience("directory.managers", &directory::DirectoryService::managers_audience);
  EventKinds::add_audience("negotiation.document", &negotiation::NegotiationService::audience_from);
  EventKinds::add_audience("library.contribution", &library::LibraryService::audience_from);
  EventKinds::add_delivery("hotline.sent", [this](const nlohmann::json& args, const std::vector<Subscriber>& reached) {
    hotline_->delivered_here(args, reached);
  });
  // E-mail to recipients no stream reached waits for the other instances' deliveries.
  hotline_->set_mail_grace([this]() -> std::int64_t { return events_->peers() > 0 ? 1000 : 0; });
}

Application::Application(const Config& config) : config_(config) {
  db_ = storage::open_database(config_.db_url,
                               static_cast<std::size_t>(config_.server.threads + config_.server.workers) + 2);
  // Parley's own files beside the database: the key that seals secrets stored in it
  // (kept out of the database, so that a copy of the database alone reveals none) and
  // the upload spool.
  const auto data_dir = config_.resolved_data_dir();
  if (config_.auth.key_file.empty()) config_.auth.key_file = data_dir + "/parley.key";
  config_.auth.secret_key = crypto::load_or_create_key_file(config_.auth.key_file);
  config_.server.spool_dir = data_dir + "/uploads";
  storage::migrate(*db_, all_migrations(config_.iso_codes));
  // Every committed change appends to the journal: its head tells this process that
  // another one (the CLI) has written.
  db_->set_change_probe([](storage::Connection& c) { return storage::Journal::head(c); });
  events_ = std::make_unique<storage::ClusterEvents>(*db_, hub_, storage::instance_id());
  auth_ = std::make_unique<auth::AuthService>(*db_, config_.auth);
  auth_->on_credentials_ended([this](std::int64_t user_id) {
    hub_.revalidate([this](const Subscriber& s) { return auth_->credential_valid(s.credential); }, user_id);
  });
  guard_ = std::make_unique<auth::Guard>(*auth_);
  directory_ = std::make_unique<directory::DirectoryService>(*db_, *events_);
  forum_admin_ = std::make_unique<directory::ForumAdmin>(*db_, *events_);
  if (config_.manual_clock) {
    auto manual = std::make_unique<ManualTimeSource>(config_.clock_offset_seconds * 1000);
    manual_time_ = manual.get();
    time_ = std::move(manual);
  } else {
    time_ = std::make_unique<SystemTimeSource>();
  }
  mail_ = std::make_unique<mail::MailWorker>(*db_, config_.mail, *time_);
  hotline_ = std::make_unique<hotline::HotlineService>(*db_, *events_, *time_, config_.mail, config_.hotline);
  hotline_->on_mail([this] { mail_->wake(); });
  // People are invited (accounts/): an approved nomination with an e-mail address
  // sends its invitation itself, through the directory's approval hook.
  invitations_ = std::make_unique<accounts::InvitationService>(*db_, *auth_, *directory_, *time_, config_.mail,
                                                               config_.auth.invitation_hours);
  invitations_->on_mail([this] { mail_->wake(); });
  directory_->on_approved([this](storage::Connection& c, const auth::Principal& who, const directory::Contact& k) {
    invitations_->nomination_approved(c, who, k);
  });
  accounts_ = std::make_unique<accounts::AccountService>(*db_, *auth_);
  checks_ = std::make_unique<hotline::CheckService>(*hotline_);
  reconfirmations_ = std::make_unique<directory::ReconfirmationService>(*db_, *events_, *time_, config_.mail);
  reconfirmations_->on_mail([this] { mail_->wake(); });
  importer_ = std::make_unique<directory::ContactImporter>(*db_, *events_);
  scheduler_ = std::make_unique<hotline::HotlineScheduler>(*hotline_, *checks_);
  exchange_ = std::make_unique<exchange::ExchangeService>(*db_, *events_);
  negotiation_ = std::make_unique<negotiation::NegotiationService>(*db_, *events_, *time_, hotline_.get());
  library::LibraryConfig library_config;
  library_config.mail = config_.mail;
  library_ = std::make_unique<library::LibraryService>(*db_, *events_, *time_, library_config);
  library_->on_mail([this] { mail_->wake(); });
  glossary_ = std::make_unique<glossary::GlossaryService>(*db_, *time_);
  measures_ = std::make_unique<workplan::MeasureService>(*db_, *time_);
  meetings_ = std::make_unique<workplan::MeetingService>(*db_, *time_, hotline_.get(), config_.mail.from);
  calendars_ = std::make_unique<workplan::CalendarService>(*db_, *time_);
  week_ = std::make_unique<workplan::WeekService>(*db_, *time_);
  plans_ = std::make_unique<workplan::PlanService>(*db_, *time_, hotline_.get());
  reviews_ = std::make_unique<workplan::ReviewService>(*db_, *time_);
  activities_ = std::make_unique<workplan::ActivityService>(*db_, *time_, hotline_.get());
  // The ledger: the journal's Merkle tree, signed with a key kept outside the database.
  ledger_ = std::make_unique<ledger::LedgerService>(*db_);
  if (auto key = ledger::load_log_key(config_.resolved_ledger_key())) ledger_->set_key(std::move(*key));
  // Its witnesses: each new checkpoint goes to them; a refusal is an alarm.
  witnesses_ = std::make_unique<ledger::WitnessService>(*db_, *events_, *time_, config_.mail);
  witnesses_->on_mail([this] { mail_->wake(); });
  witness_client_ = std::make_unique<ledger::WitnessClient>(*ledger_, *witnesses_);
  ledger_->on_checkpoint([this](std::int64_t size) {
    // Which instance signs (one at a time: the signer's lease).
    spdlog::info("{}", log_line({{"event", "ledger_checkpoint_signed"}, {"size", size}, {"instance", storage::instance_id()}}));
    witnesses_->checkpoint_signed();
    witness_client_->wake();
  });
  register_ledger_rules(ledger_->policy());   // who may read which entry (app/ledger_rules.h)
  register_cluster_kinds();

  // Work that runs on one instance of the cluster at a time (leases, storage/cluster.h).
  leases_ = std::make_unique<storage::LeaseKeeper>(
      *db_, std::vector<std::string>{kLeaseSigner, kLeaseWitnesses, kLeaseScheduler, kLeaseReconfirmation,
                                                kLeaseLibraryDigest});
  scheduler_->set_gate([this] { return leases_->holds(kLeaseScheduler); });

  router_.add("GET", "/api/v1/health", [this](http::Request&) {
    // Touch the database so that health means "can serve", not just "is running".
    db_->read([](storage::Connection& c) { c.query("SELECT 1 AS one"); });
    return http::Response::json({{"status", "ok"}, {"version", version()}, {"database", db_->backend()}});
  });
  router_.add("GET", "/api/v1/openapi.json", [](http::Request&) {
    return http::Response::text(std::string(openapi_document()), "application/json");
  });
  auth::add_routes(router_, *auth_, *guard_);
  directory::add_routes(router_, *directory_, *guard_);
  directory::add_forum_routes(router_, *forum_admin_, *directory_, *guard_);
  accounts::add_routes(router_, *invitations_, *accounts_, *auth_, *guard_);
  directory::add_currency_routes(router_, *reconfirmations_, *importer_, *guard_);
  hotline::add_routes(router_, *hotline_, *checks_, *guard_);
  exchange::add_routes(router_, *exchange_, *guard_);
  exchange::add_taxii_routes(router_, *exchange_, *guard_, config_.server.limits.upload_bytes);
  negotiation::add_routes(router_, *negotiation_, *guard_);
  library::add_routes(router_, *library_, *guard_);
  glossary::add_routes(router_, *glossary_, *guard_);
  workplan::add_routes(router_, {*measures_, *meetings_, *activities_, *calendars_, *week_, *plans_, *reviews_}, *guard_);
  ledger::add_routes(router_, *ledger_, *guard_);
  ledger::add_witness_routes(router_, *witnesses_, *guard_);
  if (manual_time_) {
    // Testing only (--manual-clock): move time forward to observe deadlines.
    router_.add("POST", "/api/v1/testing/clock", (*guard_)([this](http::Request& req, const auth::Principal& who) {
      auth::require_role(who, {auth::Role::kAdmin}, "move the testing clock");
      auto in = req.json();
      const auto secs = in.integer("advance_seconds", true, 0, 10LL * 365 * 86400).value_or(0);
      in.finish();
      manual_time_->advance(secs * 1000);
      scheduler_->run_once();   // what fell due has fired when this answers
      reconfirmations_->run_due();
      library_->send_digests();
      return http::Response::json({{"now", rfc3339_from_ms(manual_time_->now_ms())},
                                   {"offset_seconds", manual_time_->offset_ms() / 1000}});
    }));
  }
}

int Application::serve(bool demo) {
  if (!ledger_->has_key()) {
    // Every change is recorded in the ledger, whose checkpoints the server signs: it does
    // not run without the key, rather than keep a record nobody can verify.
    std::fprintf(stderr,
                 "Parley's ledger has no signing key: %s does not exist.\n"
                 "Create it once (it stays outside the database; keep a copy offline):\n"
                 "  parley ledger init%s --origin NAME   (NAME: this log's name, e.g. parley.example.org/ledger)\n"
                 "or name an existing key in the configuration: [ledger] key_file = \"...\".\n",
                 config_.resolved_ledger_key().c_str(),
                 config_.db_url == "sqlite:var/parley.db" ? "" : (" --db " + config_.db_url).c_str());
    return 2;
  }
  tune_malloc_for_serving();
  if (::geteuid() == 0)
    spdlog::warn("{}", log_line({{"event", "running_as_root"},
                                 {"detail", "Parley needs no privileges: run it as a user of its own "
                                            "(deploy/parley.service does)"}}));
  if (demo) {
    if (load_demo_data(*db_, *auth_)) {
      load_demo_hotline(*hotline_);
      load_demo_exchange(*exchange_);
      load_demo_negotiation(*hotline_, *negotiation_);
      const auto contributions = load_demo_library(*db_, *library_, *glossary_);
      load_demo_workplan(*db_, *measures_, *meetings_, *activities_, contributions);
      spdlog::info("{}", log_line({{"event", "demo_loaded"}}));
    }
  }
  const auth::Guard& guard = *guard_;
  http::StreamAuthorizer authorize = [&guard](http::Request& req) {
    const auto origin = req.header("origin");
    if (!origin.empty() && origin != "http://" + req.header("host") && origin != "https://" + req.header("host"))
      throw Problem::forbidden("The event stream accepts connections from Parley's own pages only.");
    const auto who = guard.authenticate(req);
    return Subscriber{who.user_id, who.username, std::string(auth::role_name(who.role)), who.state, who.forum,
                      who.credential};
  };
  auto options = config_.server;
  options.version = std::string(version());
  http::Server server(options, router_, hub_, authorize);
  const auto port = server.start();
  if (config_.mail.public_url.empty()) {
    hotline_->set_public_url("http://" + options.host + ":" + std::to_string(port));
    invitations_->set_public_url("http://" + options.host + ":" + std::to_string(port));
    reconfirmations_->set_public_url("http://" + options.host + ":" + std::to_string(port));
  }
  // Other instances on the database: their events reach our streams, ours theirs; then
  // the leases, so that the first pass of each piece of work knows whether it is ours.
  events_->start();
  // On PostgreSQL another instance's events are read as soon as they commit (NOTIFY).
  std::unique_ptr<storage::PostgresListener> listener;
  if (db_->backend() == "postgresql")
    listener = std::make_unique<storage::PostgresListener>(config_.db_url, storage::ClusterEvents::kChannel,
                                                           [this] { events_->wake(); });
  leases_->start();
  // A checkpoint of the ledger at least every second while it grows (and at once), by
  // the instance that holds the signer's lease.
  BackgroundLoop ledger_signer;
  ledger_signer.start(std::chrono::seconds(1), [this](const std::function<bool()>&) {
    if (!leases_->holds(kLeaseSigner)) return;
    try {
      ledger_->checkpoint_now();
    } catch (const ledger::InconsistentLog& e) {
      witnesses_->alarm_inconsistent(e.what());   // journaled, mailed, pushed and logged once
    } catch (const std::exception& e) {
      spdlog::error("{}", log_line({{"event", "ledger_checkpoint_error"}, {"error", e.what()}}));
    }
  });
  mail_->start();   // on every instance: each mail is claimed (mail/outbox.h)
  witness_client_->start([this] { return leases_->holds(kLeaseWitnesses); });
  scheduler_->start();   // its first pass fires what fell due while Parley was stopped
  reconfirmations_->start_loop([this] { return leases_->holds(kLeaseReconfirmation); });   // reminders, likewise
  // The text of contributed files, read in child processes (library/extract_process.h)
  // by every instance: each file is claimed, so none is read twice. Woken by uploads
  // through the database's generation (every write moves it), polled every 2 s.
  BackgroundLoop library_reader;
  library_reader.start(std::chrono::seconds(2), [this](const std::function<bool()>& stopping) {
    try {
      while (!stopping() && library_->extract_pending(storage::instance_id(), 4) > 0) {
      }
    } catch (const std::exception& e) {
      spdlog::error("{}", log_line({{"event", "library_extraction_error"}, {"error", e.what()}}));
    }
  });
  // The library's weekly digest, by the instance that holds its lease: each user's comes
  // a week after the last, whenever the loop next looks.
  BackgroundLoop library_digest;
  library_digest.start(std::chrono::minutes(10), [this](const std::function<bool()>&) {
    if (!leases_->holds(kLeaseLibraryDigest)) return;
    try {
      library_->send_digests();
    } catch (const std::exception& e) {
      spdlog::error("{}", log_line({{"event", "library_digest_error"}, {"error", e.what()}}));
    }
  });
  // Streams whose credential lapsed by time, or was ended by another process (the CLI
  // disabling a user), are closed within a second; changes made here close them at
  // once (on_credentials_ended, in the constructor).
  BackgroundLoop stream_sweep;
  stream_sweep.start(std::chrono::seconds(1), [this](const std::function<bool()>&) {
    try {
      hub_.revalidate([this](const Subscriber& s) { return auth_->credential_valid(s.credential); });
    } catch (const std::exception& e) {
      spdlog::error("{}", log_line({{"event", "stream_sweep_error"}, {"error", e.what()}}));
    }
  });
  std::printf("Parley %s listening on http://%s:%u (database %s:%s, %d threads)\n", std::string(version()).c_str(),
              options.host.c_str(), port, db_->backend().c_str(), db_->location().c_str(), options.threads);
  if (demo) {
    std::printf(
        "Demo accounts, all with password 'parley-demo':\n"
        "  admin               platform administrator\n"
        "  secretariat.cica    CICA secretariat\n"
        "  secretariat.arf     ARF secretariat\n"
        "  focal.<alpha3>      a state's national focal point, e.g. focal.kaz, focal.tha\n"
        "  poc.<alpha3>        a state's technical (24/7) point of contact, e.g. poc.kaz, poc.usa\n"
        "  policy.kaz          Kazakhstan's policy point of contact (office hours, Asia/Almaty)\n");
  }
  if (db_->read([](storage::Connection& c) { return c.query("SELECT 1 AS x FROM users LIMIT 1").empty(); })) {
    // An empty database: nobody can sign in yet. People are invited; the first admin
    // by the operator, with a link printed here.
    std::printf(
        "\nNo accounts yet. Create the first administrator with an invitation link:\n"
        "  parley invite --role admin --email you@example.org%s\n"
        "and open the link it prints (single use, valid %d hours). For scripted setups,\n"
        "  parley user add NAME --role admin   (password from PARLEY_PASSWORD or standard input)\n\n",
        config_.db_url == "sqlite:var/parley.db" ? "" : (" --db " + config_.db_url).c_str(), config_.auth.invitation_hours);
    spdlog::warn("{}", log_line({{"event", "no_accounts"},
                                 {"detail", "create the first admin: parley invite --role admin --email ADDRESS"}}));
  }
  std::fflush(stdout);
  server.run();
  ledger_signer.stop();
  library_reader.stop();
  library_digest.stop();
  witness_client_->stop();
  stream_sweep.stop();
  scheduler_->stop();
  reconfirmations_->stop();
  mail_->stop();
  leases_->stop();   // released: another instance takes over within a second
  listener.reset();
  events_->stop();
  std::printf("Parley stopped.\n");
  return 0;
}

}  // namespace parley::app
