#include "verify/verifier.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "http/http_client.h"

namespace parley::verify {

namespace {

// What the verifier accepts from a server: enough for any real log, not a memory bomb.
constexpr std::size_t kMaxCheckpoint = 64 << 10;  // a note with up to 64 signatures
constexpr std::size_t kMaxProofBody = 64 << 10;   // 64 hashes in base64 and JSON
constexpr std::size_t kMaxEntry = 1 << 20;        // one entry's leaf data
constexpr std::size_t kMaxPage = 1 << 20;         // a page of the entry list
constexpr std::size_t kMaxHashes = 64;
constexpr std::size_t kMaxPageEntries = 1000;
constexpr std::size_t kMaxPages = 1 << 20;

std::string str(std::uint64_t n) { return std::to_string(n); }

std::string cosigners(std::size_t n) { return str(n) + (n == 1 ? " witness" : " witnesses"); }

tlog::SignedCheckpoint parse_signed(const std::string& note, const std::string& what) {
  try {
    return tlog::SignedCheckpoint::parse(note);
  } catch (const std::exception& e) {
    throw VerifyFailure("signature", std::string(what).append(" is not a signed checkpoint: ").append(e.what()));
  }
}

// Is `to_cp` an extension of `from_cp`? `why` says what the log answered when it gave no proof.
bool consistent(LogSource& log, const tlog::Checkpoint& from_cp, const tlog::Checkpoint& to_cp, std::string& why) {
  if (from_cp.size == to_cp.size) return from_cp.root == to_cp.root;
  if (from_cp.size > to_cp.size) return false;
  const auto proof = log.consistency(from_cp.size, to_cp.size, why);
  if (!proof) return false;
  return tlog::verify_consistency(from_cp.size, to_cp.size, from_cp.root, to_cp.root, *proof);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

tlog::SignedCheckpoint verify_checkpoint(const std::string& note, const TrustPolicy& policy, const std::string& what,
                                         std::size_t* cosignatures, bool need_quorum) {
  auto cp = parse_signed(note, what);
  std::size_t n = 0;
  try {
    n = cp.verify(policy.log, policy.witnesses);
  } catch (const std::exception& e) {
    throw VerifyFailure("signature", std::string(what)
                                         .append(" (size ")
                                         .append(str(cp.checkpoint.size))
                                         .append(") fails its signature check: ")
                                         .append(e.what()));
  }
  if (need_quorum && n < policy.quorum)
    throw VerifyFailure("quorum", std::string(what)
                                      .append(" (size ")
                                      .append(str(cp.checkpoint.size))
                                      .append(") is cosigned by ")
                                      .append(cosigners(n))
                                      .append(" of those given, fewer than the quorum of ")
                                      .append(str(policy.quorum)));
  if (cosignatures) *cosignatures = n;
  return cp;
}

std::string describe_entry(std::uint64_t index, const std::string& leaf_data) {
  std::string out = std::string("entry ") + str(index);
  try {
    const auto j = nlohmann::json::parse(leaf_data);
    out.append(", recorded at ")
        .append(j.at("at").get<std::string>())
        .append(": ")
        .append(j.at("action").get<std::string>())
        .append(" on ")
        .append(j.at("object").get<std::string>())
        .append(" by ")
        .append(j.at("actor").get<std::string>());
  } catch (const std::exception&) {
    out += " (its data is not a Parley journal entry)";
  }
  return out;
}

VerifiedReceipt verify_receipt(const NamedText& file, const TrustPolicy& policy) {
  VerifiedReceipt v;
  try {
    v.receipt = tlog::Receipt::parse(file.text);
  } catch (const std::exception& e) {
    throw VerifyFailure(
        "receipt",
        std::string("receipt ").append(file.name).append(" is not a c2sp.org/tlog-proof: ").append(e.what()));
  }
  const auto& r = v.receipt;
  v.checkpoint =
      verify_checkpoint(r.checkpoint, policy, std::string("the checkpoint of receipt ") + file.name, &v.cosignatures);
  const auto& cp = v.checkpoint.checkpoint;
  if (!r.extra)
    throw VerifyFailure(
        "receipt",
        std::string("receipt ").append(file.name).append(" has no extra line: it does not carry the entry it proves"));
  // The leaf data says which entry it is: a receipt cannot pass one entry off as another.
  try {
    const auto j = nlohmann::json::parse(*r.extra);
    if (j.at("seq").get<std::int64_t>() != static_cast<std::int64_t>(r.index) + 1)
      throw VerifyFailure("receipt", std::string("receipt ")
                                         .append(file.name)
                                         .append(" claims index ")
                                         .append(str(r.index))
                                         .append(" for the data of another entry"));
  } catch (const VerifyFailure&) {
    throw;
  } catch (const std::exception&) {
    throw VerifyFailure(
        "receipt", std::string("receipt ").append(file.name).append("'s entry data is not a Parley journal entry"));
  }
  if (!tlog::verify_inclusion(tlog::leaf_hash(*r.extra), r.index, cp.size, r.proof, cp.root))
    throw VerifyFailure("inclusion", std::string("entry ")
                                         .append(str(r.index))
                                         .append(" of receipt ")
                                         .append(file.name)
                                         .append(" is not in the tree the log signed at size ")
                                         .append(str(cp.size)));
  return v;
}

std::string state_file(const std::string& dir) { return (std::filesystem::path(dir) / "checkpoint").string(); }

void verify_receipts_offline(const Options& options, std::ostream& out) {
  for (const auto& f : options.receipts) {
    const auto v = verify_receipt(f, options.policy);
    out << "receipt " << f.name << ": " << describe_entry(v.receipt.index, *v.receipt.extra) << "; in the tree "
        << v.checkpoint.checkpoint.origin << " signed at size " << v.checkpoint.checkpoint.size << ", cosigned by "
        << cosigners(v.cosignatures) << " of " << options.policy.witnesses.size() << " given\n";
  }
}

Summary verify_log(LogSource& log, const Options& options, std::ostream& out) {
  Summary sum;
  // 1. The latest checkpoint: the log's signature and the quorum.
  const auto latest = verify_checkpoint(log.checkpoint(), options.policy, "the latest checkpoint", &sum.cosignatures);
  const auto& cp = latest.checkpoint;
  sum.size = cp.size;
  out << "checkpoint: " << cp.origin << " at size " << cp.size << ", signed by the log, cosigned by "
      << cosigners(sum.cosignatures) << " of " << options.policy.witnesses.size() << " given (quorum "
      << options.policy.quorum << ")\n";

  // 2. Consistent with what this state saw last time.
  std::string why;
  if (!options.state_dir.empty() && std::filesystem::exists(state_file(options.state_dir))) {
    const auto saved_note = read_file(state_file(options.state_dir));
    const auto saved = verify_checkpoint(saved_note, options.policy,
                                         std::string("the checkpoint saved in ") + options.state_dir, nullptr, false)
                           .checkpoint;
    if (saved.size > cp.size)
      throw VerifyFailure("truncation", std::string("the log was truncated: its latest checkpoint has size ")
                                            .append(str(cp.size))
                                            .append(", smaller than the size ")
                                            .append(str(saved.size))
                                            .append(" it signed before (saved in ")
                                            .append(options.state_dir)
                                            .append(")"));
    if (saved.size == cp.size && saved.root != cp.root)
      throw VerifyFailure("fork", std::string("the log forked: it signed two different trees at size ")
                                      .append(str(cp.size))
                                      .append(" (the one saved in ")
                                      .append(options.state_dir)
                                      .append(" and its latest checkpoint)"));
    if (!consistent(log, saved, cp, why))
      throw VerifyFailure("consistency", std::string("the latest checkpoint (size ")
                                             .append(str(cp.size))
                                             .append(") is not consistent with the checkpoint of size ")
                                             .append(str(saved.size))
                                             .append(" saved in ")
                                             .append(options.state_dir)
                                             .append(": the log's history was rewritten")
                                             .append(why.empty() ? "" : std::string(" (") + why + ")"));
    out << "consistent with the checkpoint of size " << saved.size << " saved in " << options.state_dir << "\n";
  }

  // 3. Inclusion: of the receipts given, or of every entry the caller may read.
  if (!options.receipts.empty()) {
    for (const auto& f : options.receipts) {
      const auto v = verify_receipt(f, options.policy);
      const auto& rcp = v.checkpoint.checkpoint;
      why.clear();
      if (!consistent(log, rcp, cp, why))
        throw VerifyFailure("consistency", std::string("the checkpoint of receipt ")
                                               .append(f.name)
                                               .append(" (size ")
                                               .append(str(rcp.size))
                                               .append(") is not consistent with the latest (size ")
                                               .append(str(cp.size))
                                               .append("): entry ")
                                               .append(str(v.receipt.index))
                                               .append(" or the entries before it were altered since")
                                               .append(why.empty() ? "" : std::string(" (") + why + ")"));
      // What the log serves now must be what was receipted.
      if (const auto now = log.entry(v.receipt.index); now && *now != *v.receipt.extra)
        throw VerifyFailure("inclusion", std::string("entry ")
                                             .append(str(v.receipt.index))
                                             .append(" as the log serves it now differs from receipt ")
                                             .append(f.name));
      out << "receipt " << f.name << ": " << describe_entry(v.receipt.index, *v.receipt.extra)
          << "; in the latest tree\n";
      ++sum.entries_checked;
    }
  } else {
    std::int64_t after = -1;
    for (std::size_t page = 0; page < kMaxPages; ++page) {
      std::vector<std::uint64_t> indexes;
      const auto next = log.entries(after, indexes);
      for (const auto index : indexes) {
        if (index >= cp.size) {
          ++sum.entries_pending;
          continue;
        }
        const auto data = log.entry(index);
        if (!data)
          throw VerifyFailure(
              "inclusion",
              std::string("entry ").append(str(index)).append(" is listed as readable but the log does not serve it"));
        why.clear();
        const auto proof = log.inclusion(index, cp.size, why);
        if (!proof || !tlog::verify_inclusion(tlog::leaf_hash(*data), index, cp.size, *proof, cp.root))
          throw VerifyFailure("inclusion", std::string("entry ")
                                               .append(str(index))
                                               .append(" is not in the tree the log signed at size ")
                                               .append(str(cp.size))
                                               .append(why.empty() ? "" : std::string(" (") + why + ")"));
        ++sum.entries_checked;
      }
      if (!next || *next <= after) break;
      after = *next;
    }
    out << "inclusion: " << sum.entries_checked << " readable entries are in the tree of size " << cp.size;
    if (sum.entries_pending) out << " (" << sum.entries_pending << " newer ones await the next checkpoint)";
    out << "\n";
  }

  // 4. Other states' checkpoints: one log, one history.
  for (const auto& p : options.peers) {
    const auto peer =
        verify_checkpoint(p.text, options.policy, std::string("the peer checkpoint ") + p.name, nullptr, false)
            .checkpoint;
    why.clear();
    const bool ok = peer.size <= cp.size ? consistent(log, peer, cp, why) : consistent(log, cp, peer, why);
    if (!ok)
      throw VerifyFailure("split view", std::string("split view: the peer checkpoint ")
                                            .append(p.name)
                                            .append(" (size ")
                                            .append(str(peer.size))
                                            .append(") and the latest checkpoint (size ")
                                            .append(str(cp.size))
                                            .append(") are not one history")
                                            .append(why.empty() ? "" : std::string(" (") + why + ")"));
    out << "consistent with the peer checkpoint " << p.name << " (size " << peer.size << ")\n";
  }

  // 5. Remember it for next time.
  if (!options.state_dir.empty()) {
    std::filesystem::create_directories(options.state_dir);
    const auto path = state_file(options.state_dir);
    const auto tmp = path + ".tmp";
    {
      std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
      f << latest.note.format();
      if (!f) throw std::runtime_error(std::string("cannot write ") + tmp);
    }
    std::filesystem::rename(tmp, path);
    out << "saved the checkpoint of size " << cp.size << " in " << path << "\n";
  }
  return sum;
}

// ---- the HTTP source ----

namespace {

class HttpLogSource : public LogSource {
 public:
  HttpLogSource(std::string base, const std::string& token) : base_(std::move(base)) {
    while (!base_.empty() && base_.back() == '/') base_.pop_back();
    auth_ = std::string("Authorization: Bearer ") + token;
  }

  std::string checkpoint() override {
    const auto r = get("/api/v1/ledger/checkpoint", kMaxCheckpoint);
    if (r.status != 200) fail("the latest checkpoint", r);
    return r.body;
  }

  std::optional<std::vector<tlog::Hash>> consistency(std::uint64_t from, std::uint64_t to, std::string& why) override {
    const auto r =
        get(std::string("/api/v1/ledger/proof/consistency?from=") + str(from) + std::string("&to=") + str(to),
            kMaxProofBody);
    return hashes(r, why);
  }

  std::optional<std::vector<tlog::Hash>> inclusion(std::uint64_t index, std::uint64_t size, std::string& why) override {
    const auto r =
        get(std::string("/api/v1/ledger/proof/inclusion?index=") + str(index) + std::string("&size=") + str(size),
            kMaxProofBody);
    return hashes(r, why);
  }

  std::optional<std::int64_t> entries(std::int64_t after, std::vector<std::uint64_t>& out) override {
    const auto r = get(std::string("/api/v1/ledger/entries?limit=1000") +
                           (after < 0 ? std::string() : std::string("&after=") + std::to_string(after)),
                       kMaxPage);
    if (r.status != 200) fail("the list of entries", r);
    try {
      const auto j = nlohmann::json::parse(r.body);
      const auto& list = j.at("entries");
      if (!list.is_array() || list.size() > kMaxPageEntries) throw std::runtime_error("too many entries in a page");
      for (const auto& e : list) out.push_back(e.at("index").get<std::uint64_t>());
      if (j.at("next").is_null()) return std::nullopt;
      return j.at("next").get<std::int64_t>();
    } catch (const std::exception& e) {
      throw VerifyFailure("server", std::string("the log's list of entries is malformed: ").append(e.what()));
    }
  }

  std::optional<std::string> entry(std::uint64_t index) override {
    const auto r = get(std::string("/api/v1/ledger/entries/") + str(index), kMaxEntry);
    if (r.status == 404) return std::nullopt;
    if (r.status != 200) fail(std::string("entry ") + str(index), r);
    return r.body;
  }

 private:
  http::ClientResponse get(const std::string& path, std::size_t cap) {
    // Two connections kept alive: one capped for checkpoints and proofs, one for entries.
    auto& client = cap <= kMaxProofBody ? small_ : large_;
    try {
      return client.get(base_ + path, {auth_});
    } catch (const std::exception& e) {
      throw VerifyFailure("server", std::string("could not read ")
                                        .append(path)
                                        .append(" from the log at ")
                                        .append(base_)
                                        .append(": ")
                                        .append(e.what()));
    }
  }

  [[noreturn]] void fail(const std::string& what, const http::ClientResponse& r) {
    std::string sentence = std::string("the log did not serve ").append(what).append(": HTTP ").append(str(r.status));
    if (r.status == 401) sentence += " (the token is not accepted)";
    throw VerifyFailure("server", sentence);
  }

  static std::optional<std::vector<tlog::Hash>> hashes(const http::ClientResponse& r, std::string& why) {
    if (r.status != 200) {
      why = std::string("the log answered HTTP ") + str(r.status) + " to the proof request";
      return std::nullopt;
    }
    try {
      const auto j = nlohmann::json::parse(r.body);
      const auto& list = j.at("hashes");
      if (!list.is_array() || list.size() > kMaxHashes) throw std::runtime_error("too many hashes");
      std::vector<tlog::Hash> out;
      for (const auto& h : list) {
        const auto hash = tlog::hash_from_base64(h.get<std::string>());
        if (!hash) throw std::runtime_error("a hash is not base64 of 32 bytes");
        out.push_back(*hash);
      }
      return out;
    } catch (const std::exception& e) {
      why = std::string("the log's proof is malformed: ") + e.what();
      return std::nullopt;
    }
  }

  std::string base_;
  std::string auth_;
  http::HttpClient small_{std::chrono::seconds(30), kMaxProofBody};
  http::HttpClient large_{std::chrono::seconds(30), kMaxEntry};
};

}  // namespace

std::unique_ptr<LogSource> http_log_source(const std::string& base_url, const std::string& token) {
  return std::make_unique<HttpLogSource>(base_url, token);
}

}  // namespace parley::verify
