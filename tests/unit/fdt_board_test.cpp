// The generated device tree, parsed back with libfdt: nodes, reg and interrupt wiring match
// the memory map, the cpus describe what the hart implements, /chosen carries the boot
// arguments; and dtc accepts the blob without a warning when it is installed.
#include <gtest/gtest.h>

extern "C" {
#include <libfdt.h>
}

#include <cstdio>
#include <string>
#include <vector>

#include "board_test_support.h"
#include "cpu/hart.h"
#include "machine/board.h"
#include "machine/board_fdt.h"
#include "machine/hart_isa.h"
#include "machine/memory_map.h"
#include "util/error.h"

namespace strata::testing {
namespace {

class Fdt {
 public:
  explicit Fdt(std::vector<uint8_t> blob) : blob_(std::move(blob)) {
    EXPECT_EQ(fdt_check_header(blob_.data()), 0);
  }
  const void* data() const { return blob_.data(); }
  int node(const std::string& path) const { return fdt_path_offset(data(), path.c_str()); }
  bool has(const std::string& path) const { return node(path) >= 0; }
  std::vector<uint32_t> cells(const std::string& path, const char* prop) const {
    int len = 0;
    const auto* p = static_cast<const fdt32_t*>(fdt_getprop(data(), node(path), prop, &len));
    std::vector<uint32_t> out;
    for (int i = 0; p && i < len / 4; i++) out.push_back(fdt32_to_cpu(p[i]));
    return out;
  }
  uint32_t cell(const std::string& path, const char* prop) const {
    const auto c = cells(path, prop);
    return c.size() == 1 ? c[0] : ~0u;
  }
  // Every string of a string-list property.
  std::vector<std::string> strings(const std::string& path, const char* prop) const {
    int len = 0;
    const char* p = static_cast<const char*>(fdt_getprop(data(), node(path), prop, &len));
    std::vector<std::string> out;
    for (int i = 0; p && i < len; i += int(out.back().size()) + 1) out.emplace_back(p + i);
    return out;
  }
  std::string string(const std::string& path, const char* prop) const {
    const auto s = strings(path, prop);
    return s.empty() ? "" : s[0];
  }
  std::pair<uint64_t, uint64_t> reg(const std::string& path) const {
    const auto c = cells(path, "reg");
    if (c.size() != 4) return {~0ull, ~0ull};
    return {uint64_t(c[0]) << 32 | c[1], uint64_t(c[2]) << 32 | c[3]};
  }
  uint32_t phandle_of(const std::string& path) const { return fdt_get_phandle(data(), node(path)); }

 private:
  std::vector<uint8_t> blob_;
};

BoardFdtConfig config(unsigned harts = 2) {
  BoardFdtConfig c;
  c.harts = harts;
  c.ram_base = virt::kRamBase;
  c.ram_size = 256 << 20;
  c.bootargs = "console=ttyS0 quiet";
  c.initrd_start = 0x8f000000;
  c.initrd_end = 0x8f100000;
  c.virtio_slots = {0, 1, 7};
  c.rng_seed = std::vector<uint8_t>(32, 0xab);
  return c;
}

std::string hex(uint64_t v) {
  char b[32];
  std::snprintf(b, sizeof b, "%llx", static_cast<unsigned long long>(v));
  return b;
}

TEST(FdtBoard, RootMemoryAndChosen) {
  const Fdt f(build_board_fdt(config()));
  EXPECT_EQ(f.cell("/", "#address-cells"), 2u);
  EXPECT_EQ(f.cell("/", "#size-cells"), 2u);
  EXPECT_EQ(f.string("/memory@80000000", "device_type"), "memory");
  EXPECT_EQ(f.reg("/memory@80000000"), (std::pair<uint64_t, uint64_t>{0x80000000, 256 << 20}));
  EXPECT_EQ(f.string("/chosen", "bootargs"), "console=ttyS0 quiet");
  EXPECT_EQ(f.string("/chosen", "stdout-path"), "/soc/serial@10000000");
  EXPECT_EQ(f.cells("/chosen", "linux,initrd-start"), (std::vector<uint32_t>{0, 0x8f000000}));
  EXPECT_EQ(f.cells("/chosen", "linux,initrd-end"), (std::vector<uint32_t>{0, 0x8f100000}));
  EXPECT_EQ(f.cells("/chosen", "rng-seed").size(), 8u);
  // The stdout-path names a node that exists.
  EXPECT_TRUE(f.has(f.string("/chosen", "stdout-path")));
}

TEST(FdtBoard, NoInitrdNoBootargsNoSeedMeansNoProperties) {
  BoardFdtConfig c = config();
  c.initrd_start = c.initrd_end = 0;
  c.bootargs.clear();
  c.rng_seed.clear();
  const Fdt f(build_board_fdt(c));
  EXPECT_TRUE(f.cells("/chosen", "linux,initrd-start").empty());
  EXPECT_TRUE(f.cells("/chosen", "bootargs").empty());
  EXPECT_TRUE(f.cells("/chosen", "rng-seed").empty());
}

TEST(FdtBoard, CpusDescribeTheHart) {
  const Fdt f(build_board_fdt(config(3)));
  EXPECT_EQ(f.cell("/cpus", "timebase-frequency"), 10'000'000u);
  EXPECT_EQ(f.cell("/cpus", "#address-cells"), 1u);
  EXPECT_EQ(f.cell("/cpus", "#size-cells"), 0u);
  for (unsigned h = 0; h < 3; h++) {
    const std::string cpu = "/cpus/cpu@" + std::to_string(h);
    ASSERT_TRUE(f.has(cpu)) << cpu;
    EXPECT_EQ(f.cell(cpu, "reg"), h);
    EXPECT_EQ(f.string(cpu, "device_type"), "cpu");
    EXPECT_EQ(f.string(cpu, "status"), "okay");
    EXPECT_EQ(f.string(cpu, "compatible"), "riscv");
    EXPECT_EQ(f.string(cpu, "riscv,isa"), kHartIsa);
    EXPECT_EQ(f.string(cpu, "riscv,isa-base"), "rv64i");
    EXPECT_EQ(f.string(cpu, "mmu-type"), "riscv,sv57");
    const auto ext = f.strings(cpu, "riscv,isa-extensions");
    EXPECT_EQ(ext, std::vector<std::string>(kHartIsaExtensions.begin(), kHartIsaExtensions.end()));
    const std::string intc = cpu + "/interrupt-controller";
    EXPECT_EQ(f.string(intc, "compatible"), "riscv,cpu-intc");
    EXPECT_EQ(f.cell(intc, "#interrupt-cells"), 1u);
    EXPECT_EQ(f.phandle_of(intc), phandle_cpu_intc(h));
    EXPECT_EQ(f.cell("/cpus/cpu-map/cluster0/core" + std::to_string(h), "cpu"), f.phandle_of(cpu));
  }
  EXPECT_FALSE(f.has("/cpus/cpu@3"));
}

// The ISA string and the extension list say the same, and both agree with misa.
TEST(FdtBoard, IsaStringMatchesMisaAndTheExtensionList) {
  HartConfig hc;
  Hart hart(hc, nullptr, nullptr, nullptr);
  const std::string isa(kHartIsa);
  ASSERT_EQ(isa.rfind("rv64", 0), 0u);
  const std::string letters = isa.substr(4, isa.find('_') - 4);
  for (char c = 'a'; c <= 'z'; c++) {
    const bool in_misa = (hart.csr.misa >> (c - 'a')) & 1;
    if (c == 's' || c == 'u') continue;  // privilege modes, not ISA string letters
    EXPECT_EQ(letters.find(c) != std::string::npos, in_misa) << c;
  }
  std::vector<std::string> from_string;
  for (char c : letters) from_string.push_back(std::string(1, c));
  for (size_t pos = isa.find('_'); pos != std::string::npos;) {
    const size_t next = isa.find('_', pos + 1);
    from_string.push_back(isa.substr(pos + 1, next == std::string::npos ? next : next - pos - 1));
    pos = next;
  }
  EXPECT_EQ(from_string, std::vector<std::string>(kHartIsaExtensions.begin(), kHartIsaExtensions.end()));
}

TEST(FdtBoard, SocNodesSitWhereTheMemoryMapSays) {
  const Fdt f(build_board_fdt(config(2)));
  EXPECT_EQ(f.reg("/soc/clint@" + hex(virt::kClint.base)),
            (std::pair<uint64_t, uint64_t>{virt::kClint.base, virt::kClint.size}));
  EXPECT_EQ(f.reg("/soc/plic@" + hex(virt::kPlic.base)),
            (std::pair<uint64_t, uint64_t>{virt::kPlic.base, virt::kPlic.size}));
  EXPECT_EQ(f.reg("/soc/serial@" + hex(virt::kUart.base)),
            (std::pair<uint64_t, uint64_t>{virt::kUart.base, virt::kUart.size}));
  EXPECT_EQ(f.reg("/soc/test@" + hex(virt::kSyscon.base)),
            (std::pair<uint64_t, uint64_t>{virt::kSyscon.base, virt::kSyscon.size}));
  for (unsigned slot : {0u, 1u, 7u}) {
    const virt::Region r = virt::virtio_slot(slot);
    const std::string node = "/soc/virtio_mmio@" + hex(r.base);
    ASSERT_TRUE(f.has(node)) << node;
    EXPECT_EQ(f.reg(node), (std::pair<uint64_t, uint64_t>{r.base, r.size}));
    EXPECT_EQ(f.string(node, "compatible"), "virtio,mmio");
    EXPECT_EQ(f.cell(node, "interrupts"), virt::virtio_irq(slot));
    EXPECT_EQ(f.cell(node, "interrupt-parent"), kPhandlePlic);
  }
  EXPECT_FALSE(f.has("/soc/virtio_mmio@" + hex(virt::virtio_slot(2).base)));
}

TEST(FdtBoard, InterruptWiring) {
  const Fdt f(build_board_fdt(config(2)));
  const std::string plic = "/soc/plic@c000000";
  EXPECT_EQ(f.strings(plic, "compatible"), (std::vector<std::string>{"sifive,plic-1.0.0", "riscv,plic0"}));
  EXPECT_EQ(f.phandle_of(plic), kPhandlePlic);
  EXPECT_EQ(f.cell(plic, "#interrupt-cells"), 1u);
  EXPECT_EQ(f.cell(plic, "riscv,ndev"), virt::kPlicSources);
  const uint32_t i0 = phandle_cpu_intc(0), i1 = phandle_cpu_intc(1);
  EXPECT_EQ(f.cells(plic, "interrupts-extended"), (std::vector<uint32_t>{i0, 11, i0, 9, i1, 11, i1, 9}));
  const std::string clint = "/soc/clint@2000000";
  EXPECT_EQ(f.strings(clint, "compatible"), (std::vector<std::string>{"sifive,clint0", "riscv,clint0"}));
  EXPECT_EQ(f.cells(clint, "interrupts-extended"), (std::vector<uint32_t>{i0, 3, i0, 7, i1, 3, i1, 7}));
  const std::string uart = "/soc/serial@10000000";
  EXPECT_EQ(f.string(uart, "compatible"), "ns16550a");
  EXPECT_EQ(f.cell(uart, "clock-frequency"), 3686400u);
  EXPECT_EQ(f.cell(uart, "interrupts"), virt::kUartIrq);
  EXPECT_EQ(f.cell(uart, "interrupt-parent"), kPhandlePlic);
}

TEST(FdtBoard, PoweroffAndRebootGoThroughTheSyscon) {
  const Fdt f(build_board_fdt(config()));
  const uint32_t syscon = f.phandle_of("/soc/test@100000");
  EXPECT_EQ(syscon, kPhandleSyscon);
  EXPECT_EQ(f.strings("/soc/test@100000", "compatible"),
            (std::vector<std::string>{"sifive,test1", "sifive,test0", "syscon"}));
  EXPECT_EQ(f.string("/poweroff", "compatible"), "syscon-poweroff");
  EXPECT_EQ(f.cell("/poweroff", "regmap"), syscon);
  EXPECT_EQ(f.cell("/poweroff", "offset"), 0u);
  EXPECT_EQ(f.cell("/poweroff", "value"), 0x5555u);
  EXPECT_EQ(f.string("/reboot", "compatible"), "syscon-reboot");
  EXPECT_EQ(f.cell("/reboot", "regmap"), syscon);
  EXPECT_EQ(f.cell("/reboot", "value"), 0x7777u);
}

TEST(FdtBoard, RefusesWhatTheBoardCannotHave) {
  BoardFdtConfig c = config();
  c.harts = 0;
  EXPECT_THROW(build_board_fdt(c), Error);
  c.harts = virt::kMaxHarts + 1;
  EXPECT_THROW(build_board_fdt(c), Error);
  c = config();
  c.virtio_slots = {8};
  EXPECT_THROW(build_board_fdt(c), Error);
}

TEST(FdtBoard, HugeCommandLineGrowsTheBuffer) {
  BoardFdtConfig c = config();
  c.bootargs = std::string(100'000, 'x');
  const Fdt f(build_board_fdt(c));
  EXPECT_EQ(f.string("/chosen", "bootargs").size(), 100'000u);
}

// The tree of a real board lists exactly the devices it has.
TEST(FdtBoard, BoardTreeListsItsVirtioDevices) {
  BoardConfig bc;
  bc.ram_size = 16 << 20;
  bc.rng = true;
  Board board(bc);
  const Fdt f(build_board_fdt(board.fdt_config("", 0, 0)));
  EXPECT_TRUE(f.has("/soc/virtio_mmio@10001000"));
  EXPECT_FALSE(f.has("/soc/virtio_mmio@10002000"));
  EXPECT_EQ(f.reg("/memory@80000000").second, 16u << 20);
  EXPECT_EQ(board.virtio_device(0).name(), "virtio-rng");
}

// The memory map: no two regions overlap, RAM sits above every device.
TEST(FdtBoard, MemoryMapRegionsDoNotOverlap) {
  std::vector<virt::Region> regions = {virt::kBootRom, virt::kSyscon, virt::kClint, virt::kPlic, virt::kUart};
  for (unsigned s = 0; s < virt::kVirtioSlots; s++) regions.push_back(virt::virtio_slot(s));
  for (size_t a = 0; a < regions.size(); a++) {
    EXPECT_LE(regions[a].base + regions[a].size, virt::kRamBase);
    for (size_t b = a + 1; b < regions.size(); b++) {
      const bool apart = regions[a].base + regions[a].size <= regions[b].base ||
                         regions[b].base + regions[b].size <= regions[a].base;
      EXPECT_TRUE(apart) << std::hex << regions[a].base << " and " << regions[b].base;
    }
  }
  // The bus agrees: a real board maps them all without refusing one.
  BoardConfig bc;
  bc.ram_size = 16 << 20;
  EXPECT_NO_THROW(Board{bc});
}

TEST(FdtBoard, DtcDecompilesItWithoutWarnings) {
  if (std::system("command -v dtc >/dev/null 2>&1") != 0) GTEST_SKIP() << "dtc is not installed";
  TempFile dtb(build_board_fdt(config(2)), ".dtb");
  TempFile err(std::vector<uint8_t>{}, ".txt");
  const std::string cmd = "dtc -I dtb -O dts -o /dev/null " + dtb.path() + " 2>" + err.path();
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  const std::vector<uint8_t> warnings = read_file(err.path());
  EXPECT_EQ(std::string(warnings.begin(), warnings.end()), "");
}

}  // namespace
}  // namespace strata::testing
