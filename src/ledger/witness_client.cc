#include "ledger/witness_client.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "common/log_line.h"
#include "http/http_client.h"
#include "ledger/witness_protocol.h"
#include "tlog/checkpoint.h"

namespace parley::ledger {

WitnessClient::WitnessClient(LedgerService& ledger, WitnessService& witnesses, std::chrono::milliseconds interval,
                             std::chrono::milliseconds timeout)
    : ledger_(ledger), witnesses_(witnesses), interval_(interval), timeout_(timeout) {}

WitnessClient::~WitnessClient() { loop_.stop(); }

void WitnessClient::start(std::function<bool()> gate) {
  loop_.start(interval_, [this, gate = std::move(gate)](const std::function<bool()>&) {
    if (gate && !gate()) return;
    try {
      run_once();
    } catch (const std::exception& e) {
      spdlog::error("{}", log_line({{"event", "ledger_witness_client_error"}, {"error", e.what()}}));
    }
  });
}

void WitnessClient::run_once() {
  if (!http_) http_ = std::make_unique<http::HttpClient>(timeout_, 64 * 1024);
  const auto latest = ledger_.latest_checkpoint_row();
  if (!latest) return;
  const auto size = latest->size;
  const auto text = tlog::SignedCheckpoint::parse(latest->note).note.text;

  // One request per witness server, whichever forums list it.
  struct Group {
    std::string url;
    tlog::Verifier verifier;
    std::vector<std::int64_t> ids;
    std::int64_t cosigned = 0;
  };
  std::map<std::string, Group> groups;
  for (const auto& w : witnesses_.all()) {
    auto& g = groups[w.url + "\n" + w.vkey];
    if (g.ids.empty()) {
      g.url = w.url;
      try {
        g.verifier = tlog::Verifier::parse(w.vkey);
      } catch (const tlog::NoteError&) {
        continue;   // validated when added; never sent
      }
    }
    g.ids.push_back(w.id);
    g.cosigned = std::max(g.cosigned, w.cosigned_size);
  }
  const auto now = std::chrono::steady_clock::now();
  for (auto& [key, g] : groups) {
    if (g.ids.empty()) continue;
    auto& attempt = attempts_[key];
    if (attempt.size == size && attempt.done) continue;
    if (attempt.size == size && now - attempt.at < interval_) continue;   // down: not more than once a pass
    attempt = {size, now, false};
    std::uint64_t old = static_cast<std::uint64_t>(std::min(g.cosigned, size));
    WitnessAnswer answer;
    for (int tries = 0; tries < 2; ++tries) {
      const auto body = add_checkpoint_body(old, ledger_.consistency_hashes(static_cast<std::int64_t>(old), size),
                                            latest->note);
      try {
        const auto res = http_->post(g.url + "/add-checkpoint", body, {"Content-Type: text/plain; charset=utf-8"});
        answer = interpret_witness_answer(res.status, res.content_type, res.body, text, g.verifier,
                                          static_cast<std::uint64_t>(size));
      } catch (const http::HttpClientError& e) {
        answer = WitnessAnswer{};
        answer.reason = std::string("cannot reach the witness: ").append(e.what());
      }
      if (answer.kind != WitnessAnswer::Kind::kRetry) break;
      // The witness holds another size (it was reset, or lost a response): once more from there.
      old = answer.size;
      if (tries == 1) {
        answer.kind = WitnessAnswer::Kind::kRefused;
        answer.reason = "the witness answered 409 twice (it holds " + std::to_string(answer.size) + ")";
      }
    }
    switch (answer.kind) {
      case WitnessAnswer::Kind::kCosigned:
        ledger_.add_cosignature(size, CosignatureRow{g.ids.front(), answer.line, static_cast<std::int64_t>(answer.timestamp)});
        witnesses_.record_cosigned(g.ids, size);
        attempt.done = true;
        break;
      case WitnessAnswer::Kind::kRefused:
        witnesses_.record_refusal(g.ids, answer.reason);
        attempt.done = true;
        break;
      default:
        spdlog::warn("{}", log_line({{"event", "ledger_witness_down"}, {"url", g.url}, {"error", answer.reason}}));
        witnesses_.record_error(g.ids, answer.reason);
        break;
    }
  }
  // Forget witnesses no longer listed.
  for (auto it = attempts_.begin(); it != attempts_.end();) it = groups.count(it->first) ? std::next(it) : attempts_.erase(it);
}

}  // namespace parley::ledger
