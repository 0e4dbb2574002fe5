// Application: opens the database, applies every capability's migrations, and wires
// services, routes and the event stream together. One per process; the CLI uses it
// without starting the server. Thread-safe after construction (its parts are).
#pragma once

#include <memory>
#include <string_view>

#include "accounts/account_service.h"
#include "accounts/invitation_service.h"
#include "app/config.h"
#include "auth/auth_service.h"
#include "auth/routes.h"
#include "common/time_source.h"
#include "directory/csv_import.h"
#include "directory/directory_service.h"
#include "directory/forum_admin.h"
#include "directory/reconfirmation.h"
#include "exchange/exchange_service.h"
#include "glossary/glossary_service.h"
#include "workplan/measure_service.h"
#include "workplan/meeting_service.h"
#include "workplan/activity_service.h"
#include "workplan/calendar_service.h"
#include "workplan/week_service.h"
#include "workplan/plan_service.h"
#include "workplan/review_service.h"
#include "library/library_service.h"
#include "negotiation/negotiation_service.h"
#include "hotline/checks.h"
#include "hotline/hotline_service.h"
#include "hotline/scheduler.h"
#include "ledger/ledger_service.h"
#include "ledger/witness_client.h"
#include "ledger/witnesses.h"
#include "mail/mail_worker.h"
#include "http/router.h"
#include "http/stream_hub.h"
#include "storage/cluster.h"
#include "storage/cluster_events.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace parley::app {

std::string_view version();
std::string_view openapi_document();   // generated from src/app/openapi.json
// `iso_codes_root`: where Debian's iso-codes is (Config::iso_codes).
std::vector<storage::Migration> all_migrations(const std::string& iso_codes_root = "/usr/share");

class Application {
 public:
  explicit Application(const Config& config);

  storage::Database& db() { return *db_; }
  auth::AuthService& auth() { return *auth_; }
  directory::DirectoryService& directory() { return *directory_; }
  directory::ForumAdmin& forum_admin() { return *forum_admin_; }
  accounts::InvitationService& invitations() { return *invitations_; }
  directory::ReconfirmationService& reconfirmations() { return *reconfirmations_; }
  directory::ContactImporter& importer() { return *importer_; }
  hotline::HotlineService& hotline() { return *hotline_; }
  hotline::CheckService& checks() { return *checks_; }
  workplan::ReviewService& reviews() { return *reviews_; }
  exchange::ExchangeService& exchange() { return *exchange_; }
  negotiation::NegotiationService& negotiation() { return *negotiation_; }
  library::LibraryService& library() { return *library_; }
  ledger::LedgerService& ledger() { return *ledger_; }
  http::Router& router() { return router_; }
  http::StreamHub& hub() { return hub_; }

  // Runs the server until SIGINT/SIGTERM. With `demo`, loads demo data into an empty
  // database first. Prints the address (and the demo accounts) once listening.
  int serve(bool demo);

 private:
  Config config_;
  void register_cluster_kinds();
  std::unique_ptr<storage::Database> db_;
  http::StreamHub hub_;
  // The EventSink the services publish to: this instance's hub, and the other
  // instances' through the database (storage/cluster_events.h).
  std::unique_ptr<storage::ClusterEvents> events_;
  // Scheduled work that runs on one instance of the cluster at a time (storage/cluster.h).
  std::unique_ptr<storage::LeaseKeeper> leases_;
  std::unique_ptr<auth::AuthService> auth_;
  std::unique_ptr<auth::Guard> guard_;
  std::unique_ptr<directory::DirectoryService> directory_;
  std::unique_ptr<directory::ForumAdmin> forum_admin_;
  std::unique_ptr<TimeSource> time_;
  ManualTimeSource* manual_time_ = nullptr;   // set when config.manual_clock
  std::unique_ptr<mail::MailWorker> mail_;
  std::unique_ptr<hotline::HotlineService> hotline_;
  std::unique_ptr<accounts::InvitationService> invitations_;
  std::unique_ptr<accounts::AccountService> accounts_;
  std::unique_ptr<hotline::CheckService> checks_;
  std::unique_ptr<hotline::HotlineScheduler> scheduler_;
  std::unique_ptr<directory::ReconfirmationService> reconfirmations_;
  std::unique_ptr<directory::ContactImporter> importer_;
  std::unique_ptr<exchange::ExchangeService> exchange_;
  std::unique_ptr<negotiation::NegotiationService> negotiation_;
  std::unique_ptr<library::LibraryService> library_;
  std::unique_ptr<glossary::GlossaryService> glossary_;
  std::unique_ptr<workplan::MeasureService> measures_;
  std::unique_ptr<workplan::MeetingService> meetings_;
  std::unique_ptr<workplan::ActivityService> activities_;
  std::unique_ptr<workplan::CalendarService> calendars_;
  std::unique_ptr<workplan::WeekService> week_;
  std::unique_ptr<workplan::PlanService> plans_;
  std::unique_ptr<workplan::ReviewService> reviews_;
  std::unique_ptr<ledger::LedgerService> ledger_;
  std::unique_ptr<ledger::WitnessService> witnesses_;
  std::unique_ptr<ledger::WitnessClient> witness_client_;
  http::Router router_;
};

}  // namespace parley::app
