// Ledger proof benchmark (run by bench/ledger.mjs): inclusion and consistency proofs at
// random indices and sizes in a log of 10,000,000 entries, through the server's own code
// path (LedgerService::inclusion_proof and ::consistency_hashes over Journal::nodes, in a
// read transaction of a storage::Database on a real SQLite file), against the reference
// of one primary-key SELECT on the same database through the same Database::read.
//
// The log is built once and kept next to this executable (build/bench-ledger-N.db,
// written as .part and renamed when complete, so an interrupted build starts over): N
// leaves over synthetic journal entries (Journal::leaf_data, a fresh nonce each), their
// nodes computed with tlog::append_leaf and stored in the journal's own `ledger_nodes`
// table (same migrations, same keys) in bulk-load transactions of 1,000,000 leaves. The
// journal table holds only its last entry: a proof reads no entry but the head.
//
// Before measuring, proofs at random points are verified against the tree's roots (RFC
// 9162 algorithms), so the figures are for proofs that are right. Each benchmark records
// the latency of every call and reports mean, p50 and p99 as counters (µs), and the mean
// and p99 of the CPU time each call used (the thread's clock).
//   LEDGER_SIZE=10000000 build/parley_bench_ledger --benchmark_format=json
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <time.h>

#include "crypto/hash.h"
#include "crypto/random.h"
#include "ledger/ledger_service.h"
#include "storage/journal.h"
#include "storage/migrations.h"
#include "storage/open.h"
#include "tlog/merkle.h"

using namespace parley;
using storage::Connection;
using storage::Journal;

namespace {

std::int64_t g_size = 10'000'000;
std::unique_ptr<storage::Database> g_db;
std::unique_ptr<ledger::LedgerService> g_ledger;

std::unique_ptr<storage::Database> open_log(const std::string& path) {
  auto db = storage::open_database("sqlite:" + path, 4);
  storage::migrate(*db, {Journal::migration(), Journal::ledger_migration()});
  return db;
}

storage::JournalEntry synthetic_entry(std::int64_t seq) {
  storage::JournalEntry e;
  e.seq = seq;
  e.at = "2026-11-29T10:00:00.000Z";
  e.actor = "user:" + std::to_string(seq % 977);
  e.action = "communication.send";
  e.object = "communication:" + std::to_string(seq);
  e.change = Journal::canonical(
      {{"recipients", {"UZB"}}, {"severity", 2}, {"subject", "Benchmark notification " + std::to_string(seq)}});
  e.nonce = crypto::to_hex(crypto::random_bytes(16));
  return e;
}

// Builds the log of g_size leaves at `path` (see the top of the file).
void build_log(const std::string& path) {
  const auto part = path + ".part";
  std::filesystem::remove(part);
  std::filesystem::remove(part + "-wal");
  std::filesystem::remove(part + "-shm");
  const auto t0 = std::chrono::steady_clock::now();
  {
    auto db = open_log(part);
    db->configure_writer([](Connection& c) { c.bulk_load(true); });
    std::map<int, tlog::Hash> frontier;   // the last complete subtree per level, as Journal::verify keeps it
    const tlog::NodeReader reader = [&frontier](int level, std::uint64_t) { return frontier.at(level); };
    const std::int64_t chunk = 1'000'000;
    storage::JournalEntry last;
    for (std::int64_t begin = 0; begin < g_size; begin += chunk) {
      const auto end = std::min(g_size, begin + chunk);
      db->write([&](Connection& c) {
        for (auto i = begin; i < end; ++i) {
          auto e = synthetic_entry(i + 1);
          const auto leaf = tlog::leaf_hash(Journal::leaf_data(e));
          const auto index = static_cast<std::uint64_t>(i);
          for (const auto& [level, hash] : tlog::append_leaf(reader, index, leaf)) {
            frontier[level] = hash;
            c.execute("INSERT INTO ledger_nodes(node, hash) VALUES (?, ?)",
                      {(std::int64_t{level} << 48) + static_cast<std::int64_t>(index >> level), tlog::to_hex(hash)});
          }
          if (i + 1 == g_size) last = std::move(e);
        }
        if (end == g_size) {
          last.prev_hash = std::string(64, '0');   // its predecessors are not stored (see above)
          last.hash = Journal::entry_hash(last.prev_hash, last);
          c.execute(
              "INSERT INTO journal(seq, at, actor, action, object, change, prev_hash, hash, nonce)"
              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {last.seq, last.at, last.actor, last.action, last.object, last.change, last.prev_hash, last.hash,
               last.nonce});
        }
      });
      std::fprintf(stderr, "ledger: %lld of %lld leaves stored\n", static_cast<long long>(end),
                   static_cast<long long>(g_size));
    }
    db->configure_writer([](Connection& c) { c.bulk_load(false); });
  }   // closing the last connection checkpoints the WAL into the file
  std::filesystem::rename(part, path);
  std::filesystem::remove(part + "-wal");
  std::filesystem::remove(part + "-shm");
  std::fprintf(stderr, "ledger: built %s in %.0f s\n", path.c_str(),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
}

[[noreturn]] void fail(const std::string& why) {
  std::fprintf(stderr, "parley_bench_ledger: %s\n", why.c_str());
  std::exit(1);
}

std::vector<tlog::Hash> hashes_of(const nlohmann::json& proof) {
  std::vector<tlog::Hash> out;
  for (const auto& h : proof.at("hashes")) out.push_back(*tlog::hash_from_base64(h.get<std::string>()));
  return out;
}

// Proofs at random points must verify against roots computed independently of them.
void check_proofs() {
  std::mt19937_64 rng(7);
  const auto full_root = g_db->read([](Connection& c) { return Journal::root(c, g_size); });
  for (int k = 0; k < 50; ++k) {
    const auto size = std::uniform_int_distribution<std::int64_t>(1, g_size)(rng);
    const auto index = std::uniform_int_distribution<std::int64_t>(0, size - 1)(rng);
    const auto proof = g_ledger->inclusion_proof(index, size);
    const auto root = g_db->read([&](Connection& c) { return Journal::root(c, size); });
    if (!tlog::verify_inclusion(*tlog::hash_from_base64(proof.at("leaf_hash").get<std::string>()),
                                static_cast<std::uint64_t>(index), static_cast<std::uint64_t>(size), hashes_of(proof),
                                root))
      fail("the inclusion proof of " + std::to_string(index) + " in " + std::to_string(size) + " does not verify");
    const auto from = std::uniform_int_distribution<std::int64_t>(1, g_size)(rng);
    if (!tlog::verify_consistency(static_cast<std::uint64_t>(from), static_cast<std::uint64_t>(g_size),
                                  g_db->read([&](Connection& c) { return Journal::root(c, from); }), full_root,
                                  g_ledger->consistency_hashes(from, g_size)))
      fail("the consistency proof from " + std::to_string(from) + " does not verify");
  }
}

// This thread's CPU time in µs: what a call costs, without the waits for a core that a
// loaded machine adds to its wall-clock time.
double thread_cpu_us() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

struct Stats {
  double mean = 0, p50 = 0, p99 = 0;
};
Stats stats(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  Stats s;
  for (double x : v) s.mean += x;
  s.mean /= static_cast<double>(v.size());
  const auto pct = [&v](double p) {
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size())))];
  };
  s.p50 = pct(50);
  s.p99 = pct(99);
  return s;
}

template <class F>
void measure(benchmark::State& state, F&& op) {
  std::mt19937_64 rng(42);
  std::vector<double> us, cpu_us;
  us.reserve(static_cast<std::size_t>(state.max_iterations));
  cpu_us.reserve(static_cast<std::size_t>(state.max_iterations));
  double hashes = 0;
  for (auto _ : state) {
    const auto c0 = thread_cpu_us();
    const auto t0 = std::chrono::steady_clock::now();
    hashes += static_cast<double>(op(rng));
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    cpu_us.push_back(thread_cpu_us() - c0);
  }
  const auto wall = stats(us), cpu = stats(cpu_us);
  state.counters["mean_us"] = wall.mean;
  state.counters["p50_us"] = wall.p50;
  state.counters["p99_us"] = wall.p99;
  state.counters["cpu_mean_us"] = cpu.mean;
  state.counters["cpu_p99_us"] = cpu.p99;
  state.counters["hashes"] = hashes / static_cast<double>(us.size());
  state.counters["size"] = static_cast<double>(g_size);
}

// An inclusion proof of a random entry in a tree of a random size (at least the entry's).
void BM_InclusionProof(benchmark::State& state) {
  measure(state, [](std::mt19937_64& rng) {
    const auto index = std::uniform_int_distribution<std::int64_t>(0, g_size - 1)(rng);
    const auto size = std::uniform_int_distribution<std::int64_t>(index + 1, g_size)(rng);
    const auto proof = g_ledger->inclusion_proof(index, size);
    benchmark::DoNotOptimize(proof);
    return proof.at("hashes").size();
  });
}

// An inclusion proof of a random entry in the whole tree (what a receipt carries).
void BM_InclusionProofLatest(benchmark::State& state) {
  measure(state, [](std::mt19937_64& rng) {
    const auto index = std::uniform_int_distribution<std::int64_t>(0, g_size - 1)(rng);
    const auto proof = g_ledger->inclusion_proof(index, g_size);
    benchmark::DoNotOptimize(proof);
    return proof.at("hashes").size();
  });
}

// A consistency proof between two random sizes.
void BM_ConsistencyProof(benchmark::State& state) {
  measure(state, [](std::mt19937_64& rng) {
    const auto to = std::uniform_int_distribution<std::int64_t>(2, g_size)(rng);
    const auto from = std::uniform_int_distribution<std::int64_t>(1, to - 1)(rng);
    const auto proof = g_ledger->consistency_hashes(from, to);
    benchmark::DoNotOptimize(proof);
    return proof.size();
  });
}

// Reference: one primary-key SELECT of a random leaf's stored hash, same Database::read.
void BM_PrimaryKeySelect(benchmark::State& state) {
  measure(state, [](std::mt19937_64& rng) {
    const auto index = std::uniform_int_distribution<std::int64_t>(0, g_size - 1)(rng);
    const auto rows = g_db->read(
        [&](Connection& c) { return c.query("SELECT hash FROM ledger_nodes WHERE node = ?", {index}); });
    if (rows.size() != 1) fail("no leaf " + std::to_string(index));
    return std::size_t{0};
  });
}

constexpr int kIterations = 20000;
BENCHMARK(BM_InclusionProof)->Iterations(kIterations)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_InclusionProofLatest)->Iterations(kIterations)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ConsistencyProof)->Iterations(kIterations)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PrimaryKeySelect)->Iterations(kIterations)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  if (const char* s = std::getenv("LEDGER_SIZE")) g_size = std::atoll(s);
  if (g_size < 2) fail("LEDGER_SIZE must be at least 2");
  const auto dir = std::filesystem::absolute(argv[0]).parent_path();
  const auto path = (dir / ("bench-ledger-" + std::to_string(g_size) + ".db")).string();
  if (!std::filesystem::exists(path)) build_log(path);
  g_db = open_log(path);
  if (g_db->read([](Connection& c) { return Journal::head(c); }) != g_size)
    fail(path + " does not hold a log of " + std::to_string(g_size) + " entries: remove it");
  g_ledger = std::make_unique<ledger::LedgerService>(*g_db);
  check_proofs();
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
