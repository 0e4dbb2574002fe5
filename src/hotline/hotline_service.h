// HotlineService: structured state-to-state communications and their lifecycle.
//
//   sent -> delivered -> acknowledged -> answered -> closed, per recipient state,
//   each step timestamped, journaled, and announced on the event stream to everyone
//   who may see the communication (see access.h) as it happens.
//
//  * Addressing (addressing.h): a point of contact or focal point sends for its own
//    state; a forum's secretariat for its forum. A communication is addressed to states,
//    or a forum (its members other than the sender), and to a kind of contact: policy
//    (diplomatic), technical, law_enforcement, or all (the default). Each recipient
//    state's recipient people are the accounts of its directory contacts of that kind
//    that are active, valid on the day (valid_from..valid_until, in the contact's own
//    time zone) and not disabled — unless the sender names people (directory contacts
//    with accounts; required for TLP:RED). A contact whose directory entry has expired
//    receives nothing: its state's focal point is told (e-mail, and an event on the
//    communication). A state with no valid contact of the kind is marked so in the
//    recipients' status (`no_valid_contact`), and its focal point is told too.
//    A note verbale has its own type (`note_verbale`) and no severity.
//  * Delivery: a communication is delivered to a state when it reaches the stream of
//    one of its recipient people (or focal points) or one of them reads it through the
//    API. Recipient people it did not reach on the stream get an e-mail with a link
//    (never TLP:AMBER or RED content) through the outbox, at once, whatever their hours.
//  * Deadlines follow availability: each recipient state must acknowledge within the
//    forum's deadline for the type and severity, counted from when its first recipient
//    contact is available — now if one of them is 24/7 or inside its office hours (in
//    its own time zone), else the earliest next opening among them. When a state's
//    deadline passes, the scheduler escalates — to the state's other valid contacts
//    (any kind) that are available at that moment, then its focal point, then the forum
//    secretariat — and records each step. Deadlines are rows, so they survive a restart.
// Thread-safe: its only state of its own, deliveries waiting to be recorded, is under a mutex.
#pragma once

#include <cstdint>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "common/events.h"
#include "common/time_source.h"
#include "hotline/access.h"
#include "hotline/addressing.h"
#include "hotline/hotline_store.h"
#include "hotline/list_store.h"
#include "hotline/model.h"
#include "mail/outbox.h"
#include "storage/database.h"

namespace parley::hotline {

struct HotlineConfig {
  std::size_t max_attachment_bytes = 5 * 1024 * 1024;
};

using CommQuery = ListFilter;   // the list's filters, as the route parsed them (hotline/list_store.h)

class HotlineService {
 public:
  HotlineService(storage::Database& db, EventSink& events, TimeSource& time, mail::MailConfig mail,
                 HotlineConfig config = {});

  // The base of links in e-mails when the configuration gives none (set before serving).
  void set_public_url(const std::string& url) { mail_.public_url = url; }

  // Called after mail is enqueued (MailWorker::wake); optional.
  void on_mail(std::function<void()> f) { on_mail_ = std::move(f); }

  nlohmann::json send(const auth::Principal& who, const CommunicationInput& in);
  nlohmann::json reply(const auth::Principal& who, std::int64_t id, CommunicationInput in);
  nlohmann::json get(const auth::Principal& who, std::int64_t id);
  nlohmann::json list(const auth::Principal& who, const CommQuery& q);
  nlohmann::json acknowledge(const auth::Principal& who, std::int64_t id);
  nlohmann::json close(const auth::Principal& who, std::int64_t id, const std::string& note);

  // Attachments: stored once by SHA-256; a communication may reference only what its
  // sender uploaded.
  nlohmann::json upload(const auth::Principal& who, const std::string& content, const std::string& media_type);
  struct Download {
    std::string content, media_type, filename;
  };
  Download attachment(const auth::Principal& who, std::int64_t id, const std::string& sha256);

  nlohmann::json policy(const auth::Principal& who, const std::string& forum);
  nlohmann::json set_policy(const auth::Principal& who, const std::string& forum, const Policy& p);
  Policy policy_of(storage::Connection& c, const std::string& forum);

  // Sends a communication on behalf of the system (a check started by the CLI or a
  // schedule): no sender account. Returns the id. Runs inside the caller's transaction;
  // the caller announces it after commit (or leaves it to announce_pending()).
  struct SystemSend {
    std::string actor, sender_name, forum, type = "check", subject, description;
    std::string contact_kind = "all";
    Addressed to;   // exactly these states and people (per-contact acknowledgement)
    std::optional<std::int64_t> check_id;
    bool announce_now = false;
  };
  std::int64_t send_system(storage::Connection& c, const SystemSend& s);

  // Announces what was committed but not yet announced (by another process, or before
  // a crash), records deliveries, runs due escalations. Called by the scheduler;
  // return the work done.
  int announce_pending();
  // `all`: also those still waiting for other instances' deliveries (set_mail_grace), at a stop.
  int record_deliveries(bool all = false);
  int run_escalations();
  // Pushes a committed communication to the stream, records its delivery, e-mails the
  // recipient people it did not reach.
  void announce(std::int64_t id);
  void announce(const CommRow& row, const Access& access);

  TimeSource& time() { return time_; }
  storage::Database& db() { return db_; }

  // Several instances (storage/cluster_events.h). The stream audience of a hotline
  // event as data ("hotline.access": the Access, the side, the extra users) and back.
  static nlohmann::json audience_args(const Access& access, bool sending_side, const std::vector<std::int64_t>& also);
  static std::function<bool(const Subscriber&)> audience_from(const nlohmann::json& args);
  // "hotline.sent": another instance announced communication `args.id`; `reached` are
  // the subscribers this instance delivered it to. Recorded like a local delivery, but
  // e-mail to those not reached is the announcing instance's (it waits `grace`).
  void delivered_here(const nlohmann::json& args, const std::vector<Subscriber>& reached);
  // How long (ms) the announcing instance waits before it e-mails the recipient people
  // the stream did not reach, so that deliveries by other instances are recorded
  // first: 0 alone, about a second with peers.
  void set_mail_grace(std::function<std::int64_t()> grace) { mail_grace_ = std::move(grace); }

 private:
  // The communication and who may see it; 404 unless `who` may.
  struct Visible {
    CommRow row;
    Access access;
  };
  Visible load_visible(storage::Connection& c, const auth::Principal& who, std::int64_t id);
  nlohmann::json render(storage::Connection& c, const CommRow& r, const Viewer& v, bool full);
  nlohmann::json render(storage::Connection& c, const CommRow& r, const Access& access, const Viewer& v, bool full);
  // kEveryone: all who may see it; kSendingSide: those who may see it but are not on the
  // receiving side (delivery progress is news to the sender, not to the recipients).
  enum class Audience { kEveryone, kSendingSide };
  void publish(const Access& access, const std::string& type, nlohmann::json data,
               Audience audience = Audience::kEveryone, std::vector<std::int64_t> also_users = {},
               std::function<void(const Subscriber&)> reached = nullptr);
  void publish_update(std::int64_t id, const std::string& stage, const std::string& state);
  void mail_people(storage::Connection& c, const CommRow& r, const std::vector<ContactRow>& people,
                   const std::string& why);
  // Writes the communication, its recipients (each state's deadline from `to.opens_at`),
  // its people, and the notices of expired contacts and unreachable states (events, and
  // e-mail to the focal points; returns through `mailed` whether any was queued).
  std::int64_t insert(storage::Connection& c, const auth::Principal* who, CommRow& row, const Addressed& to,
                      const std::vector<AttachmentRef>& attachments, const std::string& actor,
                      const Policy* policy = nullptr,   // read here when not given
                      bool* mailed = nullptr);
  bool tell_focal_points(storage::Connection& c, const CommRow& r, const std::string& state,
                         const std::string& subject, const std::string& body);

  // Deliveries seen on the stream, waiting for the scheduler to record them.
  struct PendingDelivery {
    CommRow row;
    Access access;
    std::vector<std::int64_t> users;
    std::map<std::string, std::string> first_by_state;   // state -> first person reached
    std::int64_t at = 0;
    bool mail_offline = true;   // false: delivered for another instance, which e-mails
    std::chrono::steady_clock::time_point seen = std::chrono::steady_clock::now();
  };
  void record_delivery(const PendingDelivery& d);
  std::mutex deliveries_mu_;
  std::vector<PendingDelivery> deliveries_;

  storage::Database& db_;
  EventSink& events_;
  TimeSource& time_;
  mail::MailConfig mail_;
  HotlineConfig config_;
  std::function<void()> on_mail_;
  std::function<std::int64_t()> mail_grace_;
};

}  // namespace parley::hotline
