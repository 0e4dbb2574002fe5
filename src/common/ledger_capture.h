// The last ledger index a request appended, carried from the database's writer thread
// to the HTTP edge, which answers it as `Parley-Ledger-Index`. Journal::append records
// it on the writer thread; Database::write hands it to the calling thread once the
// write has committed; the server resets it before each handler and reads it after.
// Per thread (thread_local); header-only.
#pragma once

#include <cstdint>

namespace parley::ledger_capture {

inline thread_local std::int64_t last_index = -1;   // -1: nothing appended

inline void reset() { last_index = -1; }
inline void note(std::int64_t index) {
  if (index > last_index) last_index = index;
}

}  // namespace parley::ledger_capture
