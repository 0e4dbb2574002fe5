// ReconfirmationService: the annual reconfirmation of the directory.
//
//  * A forum's secretariat (or the admin) starts one for the forum with a due date and a
//    message; every current member state is asked, and each state's focal points are
//    e-mailed (through the outbox, in the start's transaction).
//  * A state's focal point confirms its state's entries (after updating them through the
//    contact routes); each active contact of the state records when it was confirmed.
//  * run_due() sends a reminder to states that have not answered once the reminder time
//    is reached (before the due date) and an overdue notice once the due date has
//    passed; each is a row written with its e-mails, so a restart never sends one twice
//    nor loses one. The scheduler loop calls it every second; a start fires what fell
//    due while Parley was down.
//  * Who sees what: the admin and the forum's secretariat see every state's answer; a
//    member state's focal point sees its own state's; nobody else.
// Every change is journaled in its transaction. Thread-safe: no mutable state but the
// public URL (set once before serving) and the loop.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "common/background_loop.h"
#include "common/events.h"
#include "common/time_source.h"
#include "mail/outbox.h"
#include "storage/database.h"

namespace parley::directory {

struct ReconfirmationInput {
  std::string due_date;          // YYYY-MM-DD: answers are due by the end of that day (UTC)
  std::string message;
  std::int64_t remind_days_before = 7;
};

class ReconfirmationService {
 public:
  ReconfirmationService(storage::Database& db, EventSink& events, TimeSource& time, mail::MailConfig mail)
      : db_(db), events_(events), time_(time), mail_(std::move(mail)) {}
  ~ReconfirmationService() { stop(); }

  void set_public_url(const std::string& url) { mail_.public_url = url; }
  void on_mail(std::function<void()> f) { on_mail_ = std::move(f); }

  // `who` null: the operator (the CLI), with the admin's rights.
  nlohmann::json start(const auth::Principal* who, const std::string& forum, const ReconfirmationInput& in);
  nlohmann::json list(const auth::Principal* who, const std::string& forum);
  nlohmann::json detail(const auth::Principal* who, const std::string& forum, std::int64_t id);
  nlohmann::json confirm(const auth::Principal& who, const std::string& forum, std::int64_t id,
                         const std::string& alpha3, const std::string& note);
  // The focal point's open requests (its state's, in every forum), oldest due first.
  nlohmann::json pending(const auth::Principal& who);

  // Sends the reminders and overdue notices that are due; returns how many states got one.
  int run_due();
  // `gate`, when given, is asked before each pass: false skips it (another instance holds
  // the lease, storage/cluster.h; the rows' keys would refuse a second send anyway).
  void start_loop(std::function<bool()> gate = nullptr);
  void stop() { loop_.stop(); }

  // The stream audience of a "directory.reconfirmation" event, from its data (Event::audience_args).
  static std::function<bool(const Subscriber&)> audience_from(const nlohmann::json& args);

 private:
  std::string today() const;
  void announce(const std::string& type, const std::string& forum, std::int64_t id, const std::string& state);

  storage::Database& db_;
  EventSink& events_;
  TimeSource& time_;
  mail::MailConfig mail_;
  std::function<void()> on_mail_;
  BackgroundLoop loop_;
};

}  // namespace parley::directory
