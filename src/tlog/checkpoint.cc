#include "tlog/checkpoint.h"

#include <charconv>
#include <set>

#include "crypto/random.h"

namespace parley::tlog {

namespace {
std::optional<std::uint64_t> parse_decimal(std::string_view s) {
  if (s.empty() || s.size() > 20 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  std::uint64_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::vector<std::string_view> split_lines(std::string_view text) {   // text ends in '\n'
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    if (nl == std::string_view::npos) throw CheckpointError("a line does not end in a newline");
    lines.push_back(text.substr(0, nl));
    text.remove_prefix(nl + 1);
  }
  return lines;
}
}  // namespace

std::string Checkpoint::text() const {
  std::string out = origin + "\n" + std::to_string(size) + "\n" + to_base64(root) + "\n";
  for (const auto& e : extensions) out += e + "\n";
  return out;
}

Checkpoint Checkpoint::parse(std::string_view text) {
  if (text.empty() || text.back() != '\n') throw CheckpointError("a checkpoint ends in a newline");
  const auto lines = split_lines(text);
  if (lines.size() < 3) throw CheckpointError("a checkpoint has an origin, a size and a root hash");
  Checkpoint c;
  c.origin = std::string(lines[0]);
  if (c.origin.empty()) throw CheckpointError("the checkpoint's origin is empty");
  const auto size = parse_decimal(lines[1]);
  if (!size) throw CheckpointError("the checkpoint's size is not a decimal number");
  c.size = *size;
  const auto root = hash_from_base64(lines[2]);
  if (!root) throw CheckpointError("the checkpoint's root hash is not 32 bytes of base64");
  c.root = *root;
  for (std::size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) throw CheckpointError("a checkpoint's extension line is empty");
    c.extensions.emplace_back(lines[i]);
  }
  return c;
}

SignedCheckpoint SignedCheckpoint::parse(std::string_view note_text) {
  SignedCheckpoint s;
  s.note = parse_note(note_text);
  s.checkpoint = Checkpoint::parse(s.note.text);
  return s;
}

std::size_t SignedCheckpoint::verify(const Verifier& log, const std::vector<Verifier>& witnesses) const {
  if (checkpoint.origin != log.name)
    throw CheckpointError("the checkpoint's origin '" + checkpoint.origin + "' is not the log's ('" + log.name + "')");
  bool log_signed = false;
  std::set<std::string> cosigned;
  for (const auto& s : note.signatures) {
    if (log.matches(s)) {
      if (!log.verify(note.text, s)) throw CheckpointError("the log's signature on the checkpoint does not verify");
      log_signed = true;
      continue;
    }
    for (const auto& w : witnesses) {
      if (!w.matches(s)) continue;
      if (!w.verify(note.text, s))
        throw CheckpointError("witness " + w.name + "'s cosignature on the checkpoint does not verify");
      cosigned.insert(w.vkey());
    }
  }
  if (!log_signed) throw CheckpointError("the checkpoint is not signed by the log's key");
  return cosigned.size();
}

std::string Receipt::format() const {
  std::string out = "c2sp.org/tlog-proof@v1\n";
  if (extra) out += "extra " + crypto::base64(*extra) + "\n";
  out += "index " + std::to_string(index) + "\n";
  for (const auto& h : proof) out += to_base64(h) + "\n";
  out += "\n";
  out += checkpoint;
  return out;
}

Receipt Receipt::parse(std::string_view text) {
  if (text.size() > (4 << 20)) throw CheckpointError("the proof is too large");
  Receipt r;
  auto next_line = [&text]() -> std::string_view {
    const auto nl = text.find('\n');
    if (nl == std::string_view::npos) throw CheckpointError("the proof ends before its checkpoint");
    auto line = text.substr(0, nl);
    text.remove_prefix(nl + 1);
    return line;
  };
  if (next_line() != "c2sp.org/tlog-proof@v1") throw CheckpointError("not a c2sp.org/tlog-proof@v1 proof");
  auto line = next_line();
  if (line.substr(0, 6) == "extra ") {
    try {
      r.extra = crypto::from_base64(line.substr(6));
    } catch (const std::exception&) {
      throw CheckpointError("the proof's extra data is not base64");
    }
    line = next_line();
  }
  if (line.substr(0, 6) != "index ") throw CheckpointError("the proof has no index line");
  const auto index = parse_decimal(line.substr(6));
  if (!index) throw CheckpointError("the proof's index is not a decimal number");
  r.index = *index;
  for (;;) {
    line = next_line();
    if (line.empty()) break;
    if (r.proof.size() == 64) throw CheckpointError("the inclusion proof is too long");
    const auto h = hash_from_base64(line);
    if (!h) throw CheckpointError("an inclusion proof line is not a base64 hash");
    r.proof.push_back(*h);
  }
  r.checkpoint = std::string(text);
  if (r.checkpoint.empty()) throw CheckpointError("the proof has no checkpoint");
  return r;
}

std::string tile_index_path(std::uint64_t n) {
  std::vector<std::string> parts;
  do {
    char buf[4];
    std::snprintf(buf, sizeof buf, "%03u", static_cast<unsigned>(n % 1000));
    parts.emplace_back(buf);
    n /= 1000;
  } while (n > 0);
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    if (!out.empty()) out += "/";
    if (std::next(it) != parts.rend()) out += "x";
    out += *it;
  }
  return out;
}

std::optional<TilePath> parse_tile_path(std::string_view path) {
  if (path.size() > 200) return std::nullopt;
  TilePath t;
  const auto slash = path.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto head = path.substr(0, slash);
  if (head == "entries") {
    t.level = -1;
  } else {
    const auto level = parse_decimal(head);
    if (!level || *level > 63) return std::nullopt;
    t.level = static_cast<int>(*level);
  }
  auto rest = path.substr(slash + 1);
  // Partial suffix.
  const auto dotp = rest.find(".p/");
  std::string_view index_part = rest;
  if (dotp != std::string_view::npos) {
    const auto w = parse_decimal(rest.substr(dotp + 3));
    if (!w || *w < 1 || *w > 255) return std::nullopt;
    t.width = static_cast<int>(*w);
    index_part = rest.substr(0, dotp);
  }
  // x001/x234/067
  std::uint64_t n = 0;
  bool last = false;
  while (!last) {
    const auto s = index_part.find('/');
    auto elem = index_part.substr(0, s);
    last = s == std::string_view::npos;
    if (!last) {
      if (elem.size() != 4 || elem[0] != 'x') return std::nullopt;
      elem.remove_prefix(1);
      index_part.remove_prefix(s + 1);
    }
    if (elem.size() != 3) return std::nullopt;
    for (char c : elem)
      if (c < '0' || c > '9') return std::nullopt;
    if (n > (UINT64_MAX - 999) / 1000) return std::nullopt;
    n = n * 1000 + static_cast<std::uint64_t>((elem[0] - '0') * 100 + (elem[1] - '0') * 10 + (elem[2] - '0'));
  }
  t.index = n;
  return t;
}

}  // namespace parley::tlog
