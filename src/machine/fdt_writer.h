#pragma once
// A thin C++ face on libfdt's sequential-write API (fdt_create, fdt_begin_node, ...): nodes
// and properties in document order, numbers stored big-endian as the format wants. Any
// libfdt error throws strata::Error; running out of room is reported as NoSpace so the
// caller can start again with a larger buffer.
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

class FdtWriter {
 public:
  struct NoSpace {};

  explicit FdtWriter(size_t capacity);

  void begin_node(const std::string& name);
  void end_node();
  void prop_empty(const char* name);
  void prop_u32(const char* name, uint32_t value);
  void prop_u64(const char* name, uint64_t value);
  void prop_cells(const char* name, std::span<const uint32_t> cells);
  void prop_cells(const char* name, std::initializer_list<uint32_t> cells) {
    prop_cells(name, std::span<const uint32_t>(cells.begin(), cells.size()));
  }
  void prop_string(const char* name, std::string_view value);
  void prop_strings(const char* name, std::span<const std::string_view> values);
  void prop_bytes(const char* name, std::span<const uint8_t> bytes);
  // <base size> with #address-cells = #size-cells = 2.
  void prop_reg(uint64_t base, uint64_t size) {
    prop_cells("reg", {uint32_t(base >> 32), uint32_t(base), uint32_t(size >> 32), uint32_t(size)});
  }

  // Ends the tree and returns the packed blob.
  std::vector<uint8_t> finish();

 private:
  void check(int err, const char* what);
  std::vector<uint8_t> buffer_;
};

}  // namespace strata
