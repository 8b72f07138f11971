#include "machine/fdt_writer.h"

extern "C" {
#include <libfdt.h>
}

#include "util/error.h"

namespace strata {

FdtWriter::FdtWriter(size_t capacity) : buffer_(capacity) {
  check(fdt_create(buffer_.data(), int(buffer_.size())), "create");
  check(fdt_finish_reservemap(buffer_.data()), "reserve map");
}

void FdtWriter::check(int err, const char* what) {
  if (err == -FDT_ERR_NOSPACE) throw NoSpace{};
  if (err < 0) fail("device tree: {}: {}", what, fdt_strerror(err));
}

void FdtWriter::begin_node(const std::string& name) {
  check(fdt_begin_node(buffer_.data(), name.c_str()), "node");
}
void FdtWriter::end_node() { check(fdt_end_node(buffer_.data()), "end node"); }
void FdtWriter::prop_empty(const char* name) { check(fdt_property(buffer_.data(), name, nullptr, 0), name); }
void FdtWriter::prop_u32(const char* name, uint32_t value) {
  check(fdt_property_u32(buffer_.data(), name, value), name);
}
void FdtWriter::prop_u64(const char* name, uint64_t value) {
  check(fdt_property_u64(buffer_.data(), name, value), name);
}

void FdtWriter::prop_cells(const char* name, std::span<const uint32_t> cells) {
  std::vector<fdt32_t> be;
  be.reserve(cells.size());
  for (uint32_t c : cells) be.push_back(cpu_to_fdt32(c));
  check(fdt_property(buffer_.data(), name, be.data(), int(be.size() * sizeof(fdt32_t))), name);
}

void FdtWriter::prop_string(const char* name, std::string_view value) {
  const std::string s(value);  // NUL-terminated
  check(fdt_property(buffer_.data(), name, s.c_str(), int(s.size() + 1)), name);
}

void FdtWriter::prop_strings(const char* name, std::span<const std::string_view> values) {
  std::string list;
  for (std::string_view v : values) {
    list.append(v);
    list.push_back('\0');
  }
  check(fdt_property(buffer_.data(), name, list.data(), int(list.size())), name);
}

void FdtWriter::prop_bytes(const char* name, std::span<const uint8_t> bytes) {
  check(fdt_property(buffer_.data(), name, bytes.data(), int(bytes.size())), name);
}

std::vector<uint8_t> FdtWriter::finish() {
  check(fdt_finish(buffer_.data()), "finish");
  check(fdt_pack(buffer_.data()), "pack");
  buffer_.resize(fdt_totalsize(buffer_.data()));
  return std::move(buffer_);
}

}  // namespace strata
