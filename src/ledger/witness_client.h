// WitnessClient: sends each new checkpoint to the forums' witnesses and keeps their
// cosignatures (c2sp.org/tlog-witness, the log's side). A background thread, woken by
// LedgerService::on_checkpoint and every few seconds, sends every current witness (one
// request per distinct url + vkey, however many forums list it) "old N" + the
// consistency proof from N (the size it last cosigned) + the latest checkpoint. A
// cosignature that verifies with the witness's key is stored with the checkpoint
// (LedgerService::add_cosignature); a 409 naming a size within the tree is retried once
// from that size; a refusal is an alarm (WitnessService::record_refusal); a witness that
// is down is only noted and tried again. Nothing here is on a request's path: a slow or
// dead witness delays no write and no checkpoint. start()/stop()/wake() thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "common/background_loop.h"
#include "ledger/ledger_service.h"
#include "ledger/witnesses.h"

namespace parley::http {
class HttpClient;
}

namespace parley::ledger {

class WitnessClient {
 public:
  WitnessClient(LedgerService& ledger, WitnessService& witnesses,
                std::chrono::milliseconds interval = std::chrono::seconds(3),
                std::chrono::milliseconds timeout = std::chrono::seconds(5));
  ~WitnessClient();
  // `gate`, when given, is asked before each pass: false skips it (another instance of
  // the cluster holds the lease, storage/cluster.h).
  void start(std::function<bool()> gate = nullptr);
  void wake() { loop_.wake(); }
  void stop() { loop_.stop(); }
  // One pass (the loop's task; tests may call it directly, never while the loop runs).
  void run_once();

 private:
  LedgerService& ledger_;
  WitnessService& witnesses_;
  std::chrono::milliseconds interval_;
  std::chrono::milliseconds timeout_;
  std::unique_ptr<http::HttpClient> http_;   // the loop's thread only
  // Per witness (url + vkey): the size last sent and when, so that a refusing or
  // unreachable witness is not asked again for the same checkpoint on every wake-up.
  struct Attempt {
    std::int64_t size = -1;
    std::chrono::steady_clock::time_point at{};
    bool done = false;   // cosigned, or refused: wait for a new checkpoint
  };
  std::map<std::string, Attempt> attempts_;
  BackgroundLoop loop_;
};

}  // namespace parley::ledger
