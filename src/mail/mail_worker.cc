#include "mail/mail_worker.h"

#include <spdlog/spdlog.h>

#include "common/log_line.h"
#include "mail/smtp_sender.h"
#include "storage/cluster.h"

namespace parley::mail {

namespace {
constexpr std::int64_t kClaimMs = 120'000;   // outbox.h
void log_failure(const Mail& m, const std::string& error) {
  spdlog::warn("{}", log_line({{"event", "mail_failed"}, {"id", m.id}, {"attempt", m.attempts + 1}, {"error", error}}));
}
void log_sent(const Mail& m) {
  spdlog::info("{}", log_line({{"event", "mail_sent"}, {"id", m.id}, {"instance", storage::instance_id()}}));
}
}  // namespace

MailWorker::MailWorker(storage::Database& db, MailConfig config, TimeSource& time)
    : db_(db), config_(std::move(config)), time_(time) {}

MailWorker::~MailWorker() { stop(); }

void MailWorker::start() {
  if (!config_.enabled()) return;
  sender_ = std::make_unique<SmtpSender>(config_);
  loop_.start(std::chrono::seconds(2), [this](const std::function<bool()>& stopping) { drain(stopping); });
}

void MailWorker::drain(const std::function<bool()>& stopping) {
  try {
    for (;;) {
      auto batch =
          db_.read([&](storage::Connection& c) { return Outbox::due(c, time_.now_ms(), 20, storage::wall_ms()); });
      if (batch.empty()) return;
      for (const auto& m : batch) {
        // Ours alone before it goes out (outbox.h: at least once across instances).
        const bool ours = db_.write([&](storage::Connection& c) {
          const auto wall = storage::wall_ms();
          return Outbox::claim(c, m.id, storage::instance_id(), wall, wall + kClaimMs);
        });
        if (!ours) continue;   // another instance has it
        std::string error;
        try {
          sender_->send(m);
        } catch (const std::exception& e) {
          error = e.what();
        }
        db_.write([&](storage::Connection& c) {
          if (error.empty()) Outbox::mark_sent(c, m.id, time_.now_ms());
          else Outbox::mark_failed(c, m, error, time_.now_ms());
        });
        if (error.empty()) log_sent(m);
        else log_failure(m, error);
        if (stopping()) return;
      }
    }
  } catch (const std::exception& e) {
    spdlog::error("{}", log_line({{"event", "mail_worker_error"}, {"error", e.what()}}));
  }
}

}  // namespace parley::mail
