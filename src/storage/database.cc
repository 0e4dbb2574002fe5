#include "storage/database.h"

#include <algorithm>
#include <chrono>

namespace parley::storage {

const Value& Row::at(std::string_view column) const {
  for (std::size_t i = 0; i < columns_->size(); ++i)
    if ((*columns_)[i] == column) return values_[i];
  throw std::logic_error("no column " + std::string(column) + " in result");
}

bool Row::is_null(std::string_view column) const {
  return std::holds_alternative<std::monostate>(at(column));
}

std::string Row::text(std::string_view column) const { return opt_text(column).value_or(""); }

std::optional<std::string> Row::opt_text(std::string_view column) const {
  const auto& v = at(column);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return std::to_string(*d);
  return std::nullopt;
}

std::int64_t Row::integer(std::string_view column) const { return opt_integer(column).value_or(0); }

std::optional<std::int64_t> Row::opt_integer(std::string_view column) const {
  const auto& v = at(column);
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
  if (const auto* s = std::get_if<std::string>(&v)) return std::stoll(*s);
  return std::nullopt;
}

Lease::~Lease() {
  if (c_) db_->release(std::move(c_));
}

Transaction::~Transaction() {
  if (!done_) {
    try {
      c_.rollback();
    } catch (...) {
      // The connection is unusable; nothing better to do in a destructor.
    }
  }
}

void Transaction::commit() {
  c_.commit();
  done_ = true;
}

Lease Database::acquire() {
  std::unique_lock lock(mu_);
  for (;;) {
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(c));
    }
    if (open_ < max_) {
      ++open_;
      lock.unlock();
      try {
        return Lease(this, open_connection());
      } catch (...) {
        std::lock_guard again(mu_);
        --open_;
        throw;
      }
    }
    cv_.wait(lock);
  }
}

void Database::run_write(const std::function<void(Connection&)>& fn) {
  WriteJob job(&fn);
  std::unique_lock lock(write_mu_);
  write_queue_.push_back(&job);
  if (writing_) {
    // Another thread is committing: wait until it has committed this job too, or
    // hands over the lead for the next batch.
    lock.unlock();
    job.wake.acquire();
    if (job.done) {
      if (job.error) std::rethrow_exception(job.error);
      return;
    }
    lock.lock();
  }
  writing_ = true;
  // Lead: commit everything queued so far (at most 256 writes) in one transaction.
  std::vector<WriteJob*> batch;
  const std::size_t n = std::min<std::size_t>(write_queue_.size(), 256);
  batch.assign(write_queue_.begin(), write_queue_.begin() + static_cast<std::ptrdiff_t>(n));
  write_queue_.erase(write_queue_.begin(), write_queue_.begin() + static_cast<std::ptrdiff_t>(n));
  lock.unlock();
  run_batch(batch);
  lock.lock();
  WriteJob* next = nullptr;
  if (write_queue_.empty()) {
    writing_ = false;
  } else {
    next = write_queue_.front();   // still writing_: the next leader takes over
    next->lead = true;
  }
  for (auto* j : batch) j->done = true;
  lock.unlock();
  for (auto* j : batch)
    if (j != &job) j->wake.release();
  if (next) next->wake.release();
  if (job.error) std::rethrow_exception(job.error);
}

void Database::run_batch(const std::vector<WriteJob*>& batch) {
  try {
    auto lease = acquire();
    Transaction tx(*lease, true);
    bool any = false;
    for (auto* j : batch) {
      lease->execute("SAVEPOINT write_job");
      try {
        (*j->fn)(*lease);
        lease->execute("RELEASE write_job");
        any = true;
      } catch (...) {
        j->error = std::current_exception();
        lease->execute("ROLLBACK TO write_job");
        lease->execute("RELEASE write_job");
      }
    }
    if (any) {
      tx.commit();
      generation_.fetch_add(1);   // a committed write moves the generation
    }
  } catch (...) {
    // BEGIN, a savepoint or COMMIT failed: nothing of this batch is committed.
    const auto error = std::current_exception();
    for (auto* j : batch)
      if (!j->error) j->error = error;
  }
}

void Database::set_change_probe(std::function<std::int64_t(Connection&)> probe) { probe_ = std::move(probe); }

std::int64_t Database::generation() {
  if (probe_) {
    const std::int64_t now =
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
    std::int64_t last = last_probe_ns_.load();
    if (now - last > 250'000'000 && last_probe_ns_.compare_exchange_strong(last, now)) {
      auto lease = acquire();
      const auto value = probe_(*lease);
      if (probed_.exchange(value) != value) generation_.fetch_add(1);
    }
  }
  return generation_.load();
}

void Database::release(std::unique_ptr<Connection> c) {
  {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(c));
  }
  cv_.notify_one();
}

}  // namespace parley::storage
