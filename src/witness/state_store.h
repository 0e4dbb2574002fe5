// The witness's memory: for each log it follows, the last checkpoint it cosigned (the
// note with the log's signatures and the cosignature), one file per log in a directory,
// named by the SHA-256 (hex) of the log's origin. A new record is written to a temporary
// file, fsynced, renamed over the old one and the directory fsynced: after a crash the
// record is the old one or the new one, never a mix. Not thread-safe by itself: the
// witness server holds one mutex across the check and the update (the specification's
// race between two add-checkpoint requests).
#pragma once

#include <optional>
#include <string>

namespace parley::witness {

class StateStore {
 public:
  // Creates the directory (mode 0700) if it is missing; throws std::runtime_error.
  explicit StateStore(std::string dir);
  std::optional<std::string> load(const std::string& origin) const;   // nullopt: none
  void save(const std::string& origin, const std::string& note);       // durable on return; throws
  static std::string file_name(const std::string& origin);            // sha256 hex of the origin
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

}  // namespace parley::witness
