#include "witness/add_checkpoint.h"

#include <charconv>

namespace parley::witness {

namespace {

// One line without its '\n'; throws when there is no '\n'.
std::string_view take_line(std::string_view& rest) {
  const auto nl = rest.find('\n');
  if (nl == std::string_view::npos) throw MalformedRequest("every line must end in a newline");
  auto line = rest.substr(0, nl);
  rest.remove_prefix(nl + 1);
  return line;
}

std::uint64_t parse_size(std::string_view digits) {
  if (digits.empty() || digits.size() > 19 || (digits.size() > 1 && digits[0] == '0'))
    throw MalformedRequest("the old size must be a decimal number without leading zeroes");
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size())
    throw MalformedRequest("the old size must be a decimal number without leading zeroes");
  return n;
}

Outcome refuse(int status, std::string reason, std::string origin = {}) {
  Outcome o;
  o.status = status;
  o.body = std::move(reason) + "\n";
  o.origin = std::move(origin);
  return o;
}

}  // namespace

AddCheckpointRequest parse_add_checkpoint(std::string_view body) {
  if (body.size() > kMaxBodyBytes) throw MalformedRequest("the request body is larger than 64 KiB");
  AddCheckpointRequest req;
  auto rest = body;
  const auto old_line = take_line(rest);
  if (!old_line.starts_with("old ")) throw MalformedRequest("the first line must be \"old <size>\"");
  req.old_size = parse_size(old_line.substr(4));
  for (;;) {
    const auto line = take_line(rest);
    if (line.empty()) break;
    if (req.proof.size() == kMaxProofLines) throw MalformedRequest("more than 63 consistency proof lines");
    const auto h = tlog::hash_from_base64(line);
    if (!h) throw MalformedRequest("a consistency proof line is not a base64 SHA-256 hash");
    req.proof.push_back(*h);
  }
  if (rest.empty()) throw MalformedRequest("the checkpoint is missing");
  req.checkpoint = std::string(rest);
  return req;
}

Recorded recorded_of(std::string_view note) {
  const auto cp = tlog::SignedCheckpoint::parse(note);
  return Recorded{cp.checkpoint.size, cp.checkpoint.root};
}

Outcome add_checkpoint(std::string_view body, const LogKeys& logs, const tlog::Signer& witness,
                       const std::function<std::optional<std::string>(const std::string& origin)>& lookup,
                       std::uint64_t now) {
  AddCheckpointRequest req;
  tlog::SignedCheckpoint cp;
  try {
    req = parse_add_checkpoint(body);
    cp = tlog::SignedCheckpoint::parse(req.checkpoint);
  } catch (const MalformedRequest& e) {
    return refuse(400, e.what());
  } catch (const tlog::NoteError& e) {
    return refuse(400, std::string("the checkpoint is not a signed note: ").append(e.what()));
  } catch (const tlog::CheckpointError& e) {
    return refuse(400, std::string("the checkpoint is malformed: ").append(e.what()));
  }
  const auto& origin = cp.checkpoint.origin;
  const auto log = logs.find(origin);
  if (log == logs.end()) return refuse(404, "unknown log origin", origin);

  // The log's signatures: those from unknown keys are ignored; one from a known key that
  // does not verify makes the note malformed (403), and one must verify.
  std::vector<tlog::NoteSignature> kept;
  const auto text = cp.checkpoint.text();
  if (text != cp.note.text) return refuse(400, "the checkpoint text is not canonical", origin);
  for (const auto& s : cp.note.signatures) {
    for (const auto& key : log->second) {
      if (!key.matches(s)) continue;
      if (!key.verify(cp.note.text, s)) return refuse(403, "a signature from the log's key does not verify", origin);
      kept.push_back(s);
    }
  }
  if (kept.empty()) return refuse(403, "no signature from a key trusted for this log", origin);

  if (req.old_size > cp.checkpoint.size) return refuse(400, "the old size is larger than the checkpoint's", origin);

  Recorded recorded;   // size 0: never cosigned
  if (const auto note = lookup(origin)) recorded = recorded_of(*note);
  if (req.old_size != recorded.size) {
    Outcome o;
    o.status = 409;
    o.content_type = "text/x.tlog.size";
    o.body = std::to_string(recorded.size) + "\n";
    o.origin = origin;
    return o;
  }
  if (cp.checkpoint.size == 0 && cp.checkpoint.root != tlog::empty_root())
    return refuse(422, "a checkpoint of size 0 must have the empty tree's root", origin);
  if (req.old_size == 0 && !req.proof.empty())
    return refuse(422, "a proof from size 0 must be empty", origin);
  if (req.old_size == cp.checkpoint.size && recorded.size > 0 && recorded.root != cp.checkpoint.root)
    return refuse(422, "same size as the checkpoint cosigned, different root", origin);
  if (req.old_size > 0 &&
      !tlog::verify_consistency(req.old_size, cp.checkpoint.size, recorded.root, cp.checkpoint.root, req.proof))
    return refuse(422, "the consistency proof does not verify", origin);

  const auto cosignature = witness.cosign(text, now);
  tlog::Note record{text, kept};
  record.signatures.push_back(cosignature);
  Outcome o;
  o.status = 200;
  o.body = cosignature.line();
  o.origin = origin;
  o.record = record.format();
  return o;
}

}  // namespace parley::witness
