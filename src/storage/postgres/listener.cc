#include "storage/postgres/listener.h"

#include <libpq-fe.h>
#include <poll.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <thread>

#include "common/log_line.h"
#include "storage/postgres/postgres_database.h"

namespace parley::storage {

struct PostgresListener::State {
  std::string url, channel;
  std::function<void()> notified;
  std::atomic<bool> stop{false};
  std::atomic<bool> up{false};
  std::thread thread;

  // Sleeps up to `d`, returning early when stopping.
  void nap(std::chrono::milliseconds d) {
    for (auto left = d; left.count() > 0 && !stop; left -= std::chrono::milliseconds(100))
      std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(100)));
  }

  PGconn* connect(std::string& error) {
    const char* keywords[] = {"connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval",
                              "keepalives_count", "dbname", nullptr};
    const char* values[] = {"10", "1", "10", "5", "3", url.c_str(), nullptr};
    PGconn* conn = PQconnectdbParams(keywords, values, 1);
    if (PQstatus(conn) != CONNECTION_OK) {
      error = PQerrorMessage(conn);
      PQfinish(conn);
      return nullptr;
    }
    // The channel is Parley's own constant, quoted as an identifier all the same.
    char* ident = PQescapeIdentifier(conn, channel.data(), channel.size());
    PGresult* r = PQexec(conn, (std::string("LISTEN ") + (ident ? ident : "")).c_str());
    if (ident) PQfreemem(ident);
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) error = PQerrorMessage(conn);
    PQclear(r);
    if (!ok) {
      PQfinish(conn);
      return nullptr;
    }
    return conn;
  }

  // Waits for notifications until the session fails or the listener stops.
  void listen(PGconn* conn) {
    const int fd = PQsocket(conn);
    while (!stop) {
      pollfd p{fd, POLLIN, 0};
      const int n = ::poll(&p, 1, 250);
      if (n < 0) {
        if (errno == EINTR) continue;
        return;
      }
      if (n == 0) continue;
      if (!PQconsumeInput(conn)) return;   // the server went away
      bool any = false;
      while (PGnotify* note = PQnotifies(conn)) {
        any = true;
        PQfreemem(note);
      }
      if (any) wake();
    }
  }

  // The caller's callback, which must not end the listening thread (nor the process).
  void wake() {
    try {
      notified();
    } catch (const std::exception& e) {
      spdlog::error("{}", log_line({{"event", "pg_listen_callback_error"}, {"channel", channel}, {"error", e.what()}}));
    }
  }

  void run() {
    auto backoff = std::chrono::milliseconds(1000);
    bool reported = false;
    while (!stop) {
      std::string error;
      PGconn* conn = connect(error);
      if (!conn) {
        if (!reported)
          spdlog::warn("{}", log_line({{"event", "pg_listen_unavailable"},
                                       {"channel", channel},
                                       {"database", redact_postgresql_url(url)},
                                       {"error", error}}));
        reported = true;
        nap(backoff);
        backoff = std::min(backoff * 2, std::chrono::milliseconds(10'000));
        continue;
      }
      if (reported)
        spdlog::info("{}", log_line({{"event", "pg_listen_resumed"}, {"channel", channel}}));
      reported = false;
      backoff = std::chrono::milliseconds(1000);
      up = true;
      wake();   // whatever was sent while the session was down
      listen(conn);
      up = false;
      PQfinish(conn);
      if (!stop) nap(std::chrono::milliseconds(100));
    }
  }
};

PostgresListener::PostgresListener(std::string url, std::string channel, std::function<void()> notified)
    : state_(std::make_unique<State>()) {
  state_->url = std::move(url);
  state_->channel = std::move(channel);
  state_->notified = std::move(notified);
  state_->thread = std::thread([s = state_.get()] { s->run(); });
}

PostgresListener::~PostgresListener() {
  state_->stop = true;
  if (state_->thread.joinable()) state_->thread.join();
}

bool PostgresListener::listening() const { return state_->up; }

}  // namespace parley::storage
