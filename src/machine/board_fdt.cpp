#include "machine/board_fdt.h"

#include <fmt/format.h>

#include "machine/fdt_writer.h"
#include "machine/hart_isa.h"
#include "machine/memory_map.h"
#include "util/error.h"

namespace strata {

namespace {

std::string node(std::string_view name, uint64_t address) { return fmt::format("{}@{:x}", name, address); }

void emit_cpus(FdtWriter& w, const BoardFdtConfig& c) {
  w.begin_node("cpus");
  w.prop_u32("#address-cells", 1);
  w.prop_u32("#size-cells", 0);
  w.prop_u32("timebase-frequency", uint32_t(virt::kTimebaseHz));
  for (unsigned h = 0; h < c.harts; h++) {
    w.begin_node(node("cpu", h));
    w.prop_u32("phandle", phandle_cpu(h));
    w.prop_string("device_type", "cpu");
    w.prop_u32("reg", h);
    w.prop_string("status", "okay");
    w.prop_string("compatible", "riscv");
    w.prop_string("riscv,isa", kHartIsa);
    w.prop_string("riscv,isa-base", kHartIsaBase);
    w.prop_strings("riscv,isa-extensions", kHartIsaExtensions);
    w.prop_string("mmu-type", kHartMmuType);
    w.begin_node("interrupt-controller");
    w.prop_u32("#address-cells", 0);
    w.prop_u32("#interrupt-cells", 1);
    w.prop_empty("interrupt-controller");
    w.prop_string("compatible", "riscv,cpu-intc");
    w.prop_u32("phandle", phandle_cpu_intc(h));
    w.end_node();
    w.end_node();
  }
  w.begin_node("cpu-map");
  w.begin_node("cluster0");
  for (unsigned h = 0; h < c.harts; h++) {
    w.begin_node(fmt::format("core{}", h));
    w.prop_u32("cpu", phandle_cpu(h));
    w.end_node();
  }
  w.end_node();
  w.end_node();
  w.end_node();
}

void emit_chosen(FdtWriter& w, const BoardFdtConfig& c) {
  w.begin_node("chosen");
  if (!c.bootargs.empty()) w.prop_string("bootargs", c.bootargs);
  w.prop_string("stdout-path", node("/soc/serial", virt::kUart.base));
  if (c.initrd_end > c.initrd_start) {
    w.prop_u64("linux,initrd-start", c.initrd_start);
    w.prop_u64("linux,initrd-end", c.initrd_end);
  }
  if (!c.rng_seed.empty()) w.prop_bytes("rng-seed", c.rng_seed);
  w.end_node();
}

// interrupts-extended = <&intc(h) a &intc(h) b ...> for every hart.
std::vector<uint32_t> per_hart_interrupts(unsigned harts, std::initializer_list<uint32_t> causes) {
  std::vector<uint32_t> cells;
  for (unsigned h = 0; h < harts; h++)
    for (uint32_t cause : causes) {
      cells.push_back(phandle_cpu_intc(h));
      cells.push_back(cause);
    }
  return cells;
}

void emit_soc(FdtWriter& w, const BoardFdtConfig& c) {
  w.begin_node("soc");
  w.prop_u32("#address-cells", 2);
  w.prop_u32("#size-cells", 2);
  w.prop_string("compatible", "simple-bus");
  w.prop_empty("ranges");

  w.begin_node(node("test", virt::kSyscon.base));
  const std::string_view test_compat[] = {"sifive,test1", "sifive,test0", "syscon"};
  w.prop_strings("compatible", test_compat);
  w.prop_reg(virt::kSyscon.base, virt::kSyscon.size);
  w.prop_u32("phandle", kPhandleSyscon);
  w.end_node();

  w.begin_node(node("clint", virt::kClint.base));
  const std::string_view clint_compat[] = {"sifive,clint0", "riscv,clint0"};
  w.prop_strings("compatible", clint_compat);
  w.prop_reg(virt::kClint.base, virt::kClint.size);
  w.prop_cells("interrupts-extended", per_hart_interrupts(c.harts, {3, 7}));  // M-soft, M-timer
  w.end_node();

  w.begin_node(node("plic", virt::kPlic.base));
  const std::string_view plic_compat[] = {"sifive,plic-1.0.0", "riscv,plic0"};
  w.prop_strings("compatible", plic_compat);
  w.prop_reg(virt::kPlic.base, virt::kPlic.size);
  w.prop_u32("#address-cells", 0);
  w.prop_u32("#interrupt-cells", 1);
  w.prop_empty("interrupt-controller");
  w.prop_u32("riscv,ndev", virt::kPlicSources);
  w.prop_cells("interrupts-extended", per_hart_interrupts(c.harts, {11, 9}));  // M-ext, S-ext
  w.prop_u32("phandle", kPhandlePlic);
  w.end_node();

  w.begin_node(node("serial", virt::kUart.base));
  w.prop_string("compatible", "ns16550a");
  w.prop_reg(virt::kUart.base, virt::kUart.size);
  w.prop_u32("clock-frequency", 3686400);
  w.prop_u32("interrupt-parent", kPhandlePlic);
  w.prop_u32("interrupts", virt::kUartIrq);
  w.end_node();

  for (unsigned slot : c.virtio_slots) {
    const virt::Region r = virt::virtio_slot(slot);
    w.begin_node(node("virtio_mmio", r.base));
    w.prop_string("compatible", "virtio,mmio");
    w.prop_reg(r.base, r.size);
    w.prop_u32("interrupt-parent", kPhandlePlic);
    w.prop_u32("interrupts", virt::virtio_irq(slot));
    w.end_node();
  }
  w.end_node();
}

void emit_syscon_action(FdtWriter& w, const char* name, const char* compatible, uint32_t value) {
  w.begin_node(name);
  w.prop_string("compatible", compatible);
  w.prop_u32("regmap", kPhandleSyscon);
  w.prop_u32("offset", 0);
  w.prop_u32("value", value);
  w.end_node();
}

void emit(FdtWriter& w, const BoardFdtConfig& c) {
  w.begin_node("");
  w.prop_u32("#address-cells", 2);
  w.prop_u32("#size-cells", 2);
  const std::string_view compat[] = {"strata,virt", "riscv-virtio"};
  w.prop_strings("compatible", compat);
  w.prop_string("model", "strata,virt");
  emit_chosen(w, c);
  w.begin_node(node("memory", c.ram_base));
  w.prop_string("device_type", "memory");
  w.prop_reg(c.ram_base, c.ram_size);
  w.end_node();
  emit_cpus(w, c);
  emit_soc(w, c);
  emit_syscon_action(w, "poweroff", "syscon-poweroff", virt::kSysconPoweroff);
  emit_syscon_action(w, "reboot", "syscon-reboot", virt::kSysconReboot);
  w.end_node();
}

}  // namespace

std::vector<uint8_t> build_board_fdt(const BoardFdtConfig& config) {
  if (config.harts == 0 || config.harts > virt::kMaxHarts)
    fail("the virt board has 1 to {} harts, not {}", virt::kMaxHarts, config.harts);
  for (unsigned slot : config.virtio_slots)
    if (slot >= virt::kVirtioSlots)
      fail("virtio slot {} does not exist (the board has {})", slot, virt::kVirtioSlots);
  for (size_t capacity = 16 << 10;; capacity *= 2) {
    try {
      FdtWriter w(capacity);
      emit(w, config);
      return w.finish();
    } catch (const FdtWriter::NoSpace&) {
      if (capacity >= (64u << 20)) fail("device tree: larger than 64 MiB");
    }
  }
}

}  // namespace strata
