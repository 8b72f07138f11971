// C++ strings, sorting, maps and virtual calls: a workload of typical C++ code.
// Usage: cxx ROUNDS; prints a checksum.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

struct Shape {
  virtual ~Shape() = default;
  virtual long area() const = 0;
};
struct Rect : Shape {
  long w, h;
  Rect(long a, long b) : w(a), h(b) {}
  long area() const override { return w * h; }
};
struct Tri : Shape {
  long b, h;
  Tri(long a, long c) : b(a), h(c) {}
  long area() const override { return b * h / 2; }
};

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 10;
  unsigned long seed = 12345, sum = 0;
  auto next = [&] { return seed = seed * 6364136223846793005ul + 1442695040888963407ul; };
  for (int r = 0; r < rounds; r++) {
    std::vector<std::string> words;
    for (int i = 0; i < 20000; i++) words.push_back("w" + std::to_string(next() % 5000));
    std::sort(words.begin(), words.end());
    std::map<std::string, int> counts;
    for (const auto& w : words) counts[w]++;
    for (const auto& [w, c] : counts) sum += w.size() * unsigned(c);
    std::vector<std::unique_ptr<Shape>> shapes;
    for (int i = 0; i < 20000; i++) {
      if (next() % 2)
        shapes.push_back(std::make_unique<Rect>(long(next() % 100), long(next() % 100)));
      else
        shapes.push_back(std::make_unique<Tri>(long(next() % 100), long(next() % 100)));
    }
    for (const auto& s : shapes) sum += unsigned(s->area());
  }
  std::printf("%lu\n", sum);
  return 0;
}
