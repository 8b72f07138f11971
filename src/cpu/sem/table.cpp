#include "cpu/sem/table.h"

#include <array>

#include "cpu/sem/all_semantics.h"

namespace strata::sem {
namespace {

struct PointerSink {
  std::array<SemFn, kOpCount> functions{};
  template <SemFn F>
  void add(Op op) {
    functions[size_t(op)] = F;
  }
};

}  // namespace

SemFn semantic_function(Op op) {
  static const PointerSink table = [] {
    PointerSink s;
    add_all_semantics(s);
    return s;
  }();
  return size_t(op) < kOpCount ? table.functions[size_t(op)] : nullptr;
}

}  // namespace strata::sem
