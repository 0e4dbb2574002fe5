#include "ledger/schema.h"

namespace parley::ledger {

std::vector<storage::Migration> migrations() {
  return {
      {600, "ledger checkpoints and witnesses",
       R"sql(
CREATE TABLE ledger_checkpoints (
  size INTEGER PRIMARY KEY,
  root TEXT NOT NULL,          -- base64, as in the checkpoint
  note TEXT NOT NULL,          -- the signed note, with the log's signature only
  signed_at TEXT NOT NULL
);
CREATE TABLE ledger_witnesses (
  id INTEGER PRIMARY KEY,
  forum TEXT NOT NULL,
  name TEXT NOT NULL,          -- the key name of its vkey
  url TEXT NOT NULL,           -- submission prefix: POST url/add-checkpoint
  vkey TEXT NOT NULL,
  added_at TEXT NOT NULL,
  added_by TEXT NOT NULL,
  removed_at TEXT,
  cosigned_size INTEGER NOT NULL DEFAULT 0,   -- the size it last cosigned for us
  last_attempt_at TEXT,
  last_error TEXT,
  refused_at TEXT,
  refusal TEXT
);
CREATE UNIQUE INDEX ledger_witnesses_current ON ledger_witnesses(forum, vkey) WHERE removed_at IS NULL;
CREATE TABLE ledger_cosignatures (
  size INTEGER NOT NULL,
  witness_id INTEGER NOT NULL REFERENCES ledger_witnesses(id),
  line TEXT NOT NULL,          -- the signature line as the witness returned it
  timestamp INTEGER NOT NULL,  -- the cosignature's own time (unix seconds)
  received_at TEXT NOT NULL,
  PRIMARY KEY (size, witness_id)
);
)sql"}};
}

}  // namespace parley::ledger
