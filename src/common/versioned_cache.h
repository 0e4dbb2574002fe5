// VersionedCache: a bounded map whose entries are valid only for the version (the
// database generation, see storage::Database::generation) they were computed at. A reader passes the
// current version; an entry from any other version is a miss. Used to serve hot reads
// (directory pages, resolved API tokens) without recomputing them while nothing has
// changed, and without ever serving them after a change. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace parley {

template <class V>
class VersionedCache {
 public:
  explicit VersionedCache(std::size_t max_entries) : max_(max_entries) {}

  std::optional<V> get(const std::string& key, std::int64_t version) {
    std::lock_guard lock(mu_);
    auto it = map_.find(key);
    if (it == map_.end() || it->second.version != version) return std::nullopt;
    return it->second.value;
  }

  void put(const std::string& key, std::int64_t version, V value) {
    std::lock_guard lock(mu_);
    if (map_.size() >= max_) {
      // Drop entries of older versions first; if all are current, start over.
      std::erase_if(map_, [&](const auto& kv) { return kv.second.version != version; });
      if (map_.size() >= max_) map_.clear();
    }
    map_[key] = Entry{version, std::move(value)};
  }

  void clear() {
    std::lock_guard lock(mu_);
    map_.clear();
  }

 private:
  struct Entry {
    std::int64_t version;
    V value;
  };
  std::mutex mu_;
  std::unordered_map<std::string, Entry> map_;
  std::size_t max_;
};

}  // namespace parley
