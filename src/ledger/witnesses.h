// WitnessService: the witnesses a forum lists for the ledger (c2sp.org/tlog-witness
// servers, e.g. one run by each of three member states' CERTs), their status, and the
// alarms: a witness that refuses a checkpoint, or a log that no longer extends what it
// signed, is journaled (ledger.witness.refused / ledger.inconsistent), mailed at once to
// the forum's secretariat and every admin, pushed on their event streams, and logged.
// A forum's witnesses are listed to its member states' people, its secretariat and
// admins; added and removed by admins and that forum's secretariat. Errors are Problems.
// Thread-safe (the database serialises; the alarm flag is atomic).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "common/events.h"
#include "common/json_input.h"
#include "common/time_source.h"
#include "ledger/ledger_store.h"
#include "mail/outbox.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace parley::ledger {

// Migration 610: when each witness last cosigned.
std::vector<storage::Migration> witness_migrations();

class WitnessService {
 public:
  WitnessService(storage::Database& db, EventSink& events, TimeSource& time, mail::MailConfig mail);
  void on_mail(std::function<void()> f) { on_mail_ = std::move(f); }

  nlohmann::json list(const auth::Principal& who, const std::string& forum);
  // {url, vkey}: 422 naming the field when the url is not http(s) or the vkey is not a
  // witness's (cosignature/v1) verifier key; 409 when the forum lists that key already.
  nlohmann::json add(const auth::Principal& who, const std::string& forum, JsonInput& in);
  void remove(const auth::Principal& who, const std::string& forum, std::int64_t id);

  // For the witness client: every current witness of every forum.
  std::vector<WitnessRow> all();
  // The witnesses `ids` (one server listed by several forums) cosigned `size`.
  void record_cosigned(const std::vector<std::int64_t>& ids, std::int64_t size);
  // They could not be reached or answered nonsense: retried, no alarm.
  void record_error(const std::vector<std::int64_t>& ids, const std::string& error);
  // They refused: an alarm for each forum whose witness had not refused already.
  void record_refusal(const std::vector<std::int64_t>& ids, const std::string& reason);
  // The log's tree no longer extends its last checkpoint (ledger::InconsistentLog): one
  // alarm until a checkpoint is signed again (checkpoint_signed()).
  void alarm_inconsistent(const std::string& reason);
  void checkpoint_signed() { inconsistent_alarmed_ = false; }

  // The stream audience of a "ledger.witnesses" event, from its data (Event::audience_args).
  static std::function<bool(const Subscriber&)> audience_from(const nlohmann::json& args);

 private:
  nlohmann::json to_json(const WitnessRow& w, const std::string& last_cosigned_at);
  void alarm(storage::Connection& c, const std::string& forum, const std::string& subject, const std::string& body);
  void publish(const std::string& type, const std::string& forum, const nlohmann::json& data);

  storage::Database& db_;
  EventSink& events_;
  TimeSource& time_;
  mail::MailConfig mail_;
  std::function<void()> on_mail_;
  std::atomic<bool> inconsistent_alarmed_{false};
};

}  // namespace parley::ledger
