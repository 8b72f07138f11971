#pragma once
// A host thread that runs one job each time it is kicked, so a device's slow I/O happens
// off the vCPU that notified it. Kicks that arrive while the job runs are merged into one
// more run; kick() never blocks on the job.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace strata::virtio {

class Worker {
 public:
  // `name` becomes the thread's name (15 characters at most are kept).
  Worker(std::string name, std::function<void()> job);
  ~Worker();  // finishes the running job, then joins
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void kick();

 private:
  void loop();

  std::function<void()> job_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool pending_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace strata::virtio
