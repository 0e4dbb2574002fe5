#include "ledger/checkpoint_check.h"

#include "ledger/ledger_store.h"
#include "storage/journal.h"
#include "tlog/checkpoint.h"

namespace parley::ledger {

CheckpointCheck check_latest_checkpoint(storage::Connection& c, std::int64_t entries,
                                        const std::optional<tlog::Verifier>& key) {
  CheckpointCheck out;
  const auto row = ledger_store::latest_checkpoint(c);
  if (!row) {
    out.sentence = "the log has signed no checkpoint yet";
    return out;
  }
  out.size = row->size;
  const auto size = std::to_string(row->size);
  auto fail = [&out](std::string sentence) {
    out.ok = false;
    out.sentence = std::move(sentence);
    return out;
  };
  tlog::SignedCheckpoint cp;
  try {
    cp = tlog::SignedCheckpoint::parse(row->note);
  } catch (const std::exception& e) {
    return fail(std::string("the latest checkpoint (size ")
                    .append(size)
                    .append(") is not a signed checkpoint: ")
                    .append(e.what()));
  }
  if (static_cast<std::int64_t>(cp.checkpoint.size) != row->size || tlog::to_base64(cp.checkpoint.root) != row->root)
    return fail(std::string("the latest checkpoint's note does not say the size and root stored beside it (size ")
                    .append(size)
                    .append(")"));
  // A live server appends and signs while this runs: a checkpoint past the entries
  // verified a moment ago is a loss only if the journal is shorter than it now.
  if (row->size > entries && storage::Journal::head(c) < row->size)
    return fail(std::string("the latest checkpoint has size ")
                    .append(size)
                    .append(" but the journal holds only ")
                    .append(std::to_string(entries))
                    .append(" entries: entries signed before were deleted"));
  std::string signature = "its signature was not checked: the ledger key file is not there";
  if (key) {
    try {
      cp.verify(*key, {});
    } catch (const std::exception& e) {
      return fail(std::string("the latest checkpoint (size ")
                      .append(size)
                      .append(") does not verify with the ledger key: ")
                      .append(e.what()));
    }
    signature = std::string("signed with the ledger key of ") + key->name;
  }
  if (storage::Journal::root(c, row->size) != cp.checkpoint.root)
    return fail(std::string("the tree of the journal's first ")
                    .append(size)
                    .append(" entries does not have the root of the latest checkpoint (size ")
                    .append(size)
                    .append("): the journal changed after it was signed"));
  out.sentence = std::string("the tree matches the latest checkpoint (size ")
                     .append(size)
                     .append(", ")
                     .append(signature)
                     .append(")");
  return out;
}

}  // namespace parley::ledger
