// libstdc++ and pthreads: threads, mutexes, condition variables, futures, exceptions
// across threads, iostreams and containers, in a dynamic executable.
#include <algorithm>
#include <condition_variable>
#include <future>
#include <iostream>
#include <map>
#include <mutex>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

int main() {
  int failures = 0;
  auto check = [&](bool ok, const char* what) {
    if (!ok) {
      std::cout << "FAIL " << what << std::endl;
      ++failures;
    }
  };

  std::mutex m;
  std::map<int, std::string> words;
  std::vector<std::thread> pool;
  for (int i = 0; i < 6; ++i)
    pool.emplace_back([&, i] {
      std::ostringstream s;
      s << "thread-" << i;
      std::lock_guard<std::mutex> lock(m);
      words[i] = s.str();
    });
  for (auto& t : pool) t.join();
  check(words.size() == 6 && words[3] == "thread-3", "map filled by threads");

  std::condition_variable cv;
  bool ready = false;
  int value = 0;
  std::thread producer([&] {
    std::lock_guard<std::mutex> lock(m);
    value = 99;
    ready = true;
    cv.notify_one();
  });
  {
    std::unique_lock<std::mutex> lock(m);
    cv.wait(lock, [&] { return ready; });
  }
  producer.join();
  check(value == 99, "condition variable");

  auto sum = std::async(std::launch::async, [] {
    std::vector<long> v(100000);
    std::iota(v.begin(), v.end(), 1);
    return std::accumulate(v.begin(), v.end(), 0L);
  });
  check(sum.get() == 5000050000L, "async sum");

  auto thrower = std::async(std::launch::async, []() -> int { throw std::runtime_error("from a thread"); });
  try {
    thrower.get();
    check(false, "exception expected");
  } catch (const std::runtime_error& e) {
    check(std::string(e.what()) == "from a thread", "exception message");
  }

  std::vector<double> d = {3.5, -1.25, 2.0};
  std::sort(d.begin(), d.end());
  check(d.front() == -1.25 && d.back() == 3.5, "sort doubles");
  std::cout << "cxx_threads: " << (failures ? "FAILED" : "ok") << " sum=" << 5000050000L << " pi~" << 355.0 / 113
            << std::endl;
  return failures;
}
