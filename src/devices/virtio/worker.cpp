#include "devices/virtio/worker.h"

#include <pthread.h>

namespace strata::virtio {

Worker::Worker(std::string name, std::function<void()> job) : job_(std::move(job)) {
  thread_ = std::thread([this] { loop(); });
  name.resize(std::min<size_t>(name.size(), 15));
  pthread_setname_np(thread_.native_handle(), name.c_str());
}

Worker::~Worker() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Worker::kick() {
  {
    std::lock_guard lock(mutex_);
    pending_ = true;
  }
  wake_.notify_one();
}

void Worker::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return pending_ || stop_; });
    if (stop_) return;
    pending_ = false;
    lock.unlock();
    job_();
    lock.lock();
  }
}

}  // namespace strata::virtio
