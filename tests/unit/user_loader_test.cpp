// ELF loading (and its one-line errors), the initial stack, hwprobe, binfmt text, and the
// guest environment.
#include <elf.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "user/address_space.h"
#include "user/binfmt.h"
#include "user/elf_loader.h"
#include "user/hwprobe.h"
#include "user/initial_stack.h"
#include "user/launcher.h"
#include "util/error.h"

namespace strata::user {
namespace {

namespace fs = std::filesystem;

// A minimal riscv64 executable: one PT_LOAD of `code` at `vaddr` (+ bss), entry at vaddr.
std::vector<uint8_t> make_elf(uint64_t vaddr, const std::vector<uint8_t>& code, uint64_t bss = 0,
                              uint16_t type = ET_EXEC, uint16_t machine = EM_RISCV) {
  Elf64_Ehdr eh{};
  std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
  eh.e_ident[EI_CLASS] = ELFCLASS64;
  eh.e_ident[EI_DATA] = ELFDATA2LSB;
  eh.e_ident[EI_VERSION] = EV_CURRENT;
  eh.e_type = type;
  eh.e_machine = machine;
  eh.e_version = EV_CURRENT;
  eh.e_entry = vaddr + 0x1000;
  eh.e_phoff = sizeof eh;
  eh.e_ehsize = sizeof eh;
  eh.e_phentsize = sizeof(Elf64_Phdr);
  eh.e_phnum = 1;
  Elf64_Phdr ph{};
  ph.p_type = PT_LOAD;
  ph.p_flags = PF_R | PF_X;
  ph.p_offset = 0;
  ph.p_vaddr = vaddr;
  ph.p_filesz = 0x1000 + code.size();
  ph.p_memsz = ph.p_filesz + bss;
  ph.p_align = 0x1000;
  std::vector<uint8_t> f(0x1000 + code.size());
  std::memcpy(f.data(), &eh, sizeof eh);
  std::memcpy(f.data() + sizeof eh, &ph, sizeof ph);
  std::memcpy(f.data() + 0x1000, code.data(), code.size());
  return f;
}

class TempFile {
 public:
  explicit TempFile(const std::vector<uint8_t>& bytes) {
    path_ = fs::temp_directory_path() /
            ("strata-elf-" + std::to_string(getpid()) + "-" + std::to_string(counter_++));
    std::ofstream(path_, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
  ~TempFile() { fs::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
  static inline int counter_ = 0;
};

std::string load_error(const std::vector<uint8_t>& bytes) {
  TempFile f(bytes);
  AddressSpace as;
  try {
    load_program(as, f.path(), "");
  } catch (const Error& e) {
    std::string m = e.what();
    return m.substr(m.find(':') + 2);  // drop the path
  }
  return "loaded";
}

TEST(UserElfLoader, LoadsStaticSegmentsWithBssAndPermissions) {
  const std::vector<uint8_t> code = {0x13, 0x05, 0x10, 0x00};  // addi a0, zero, 1
  TempFile f(make_elf(0x10000, code, 0x3000));
  AddressSpace as;
  const LoadedImage img = load_program(as, f.path(), "");
  EXPECT_EQ(img.entry, 0x11000u);
  EXPECT_EQ(img.program_entry, 0x11000u);
  EXPECT_EQ(img.interp_base, 0u);
  EXPECT_EQ(img.phdr, 0x10000u + sizeof(Elf64_Ehdr));
  EXPECT_EQ(img.phnum, 1u);
  EXPECT_EQ(img.brk_start, 0x15000u);
  uint32_t word = 0;
  ASSERT_TRUE(as.read(0x11000, &word, 4));
  EXPECT_EQ(word, 0x00100513u);
  EXPECT_TRUE(as.accessible(0x11000, 4, kProtExec));
  EXPECT_FALSE(as.accessible(0x11000, 4, kProtWrite));
  uint64_t bss = 1;
  ASSERT_TRUE(as.read(0x13000, &bss, 8));
  EXPECT_EQ(bss, 0u);
}

TEST(UserElfLoader, PositionIndependentGoesToThePieBase) {
  TempFile f(make_elf(0, {0x73, 0, 0, 0}, 0, ET_DYN));
  AddressSpace as;
  const LoadedImage img = load_program(as, f.path(), "");
  EXPECT_EQ(img.entry, AddressSpace::kPieBase + 0x1000);
}

TEST(UserElfLoader, ClearOneLineErrors) {
  EXPECT_NE(load_error({'h', 'e', 'l', 'l', 'o'}).find("not an ELF file"), std::string::npos);
  EXPECT_NE(load_error(make_elf(0x10000, {0, 0, 0, 0}, 0, ET_EXEC, EM_X86_64)).find("x86-64, not riscv64"),
            std::string::npos);
  auto truncated = make_elf(0x10000, {0, 0, 0, 0});
  truncated.resize(40);
  EXPECT_NE(load_error(truncated).find("truncated"), std::string::npos);
  auto short_data = make_elf(0x10000, std::vector<uint8_t>(64, 0));
  short_data.resize(0x1010);
  EXPECT_NE(load_error(short_data).find("truncated ELF file (segment 1"), std::string::npos);
  EXPECT_NE(load_error(make_elf(AddressSpace::kSize - 0x1000, {0, 0, 0, 0})).find("does not fit"),
            std::string::npos);
  EXPECT_NE(load_error(make_elf(0x10000, {0, 0, 0, 0}, 0, ET_REL)).find("not an executable"),
            std::string::npos);
  AddressSpace as;
  try {
    load_program(as, "/nonexistent/strata-test-program", "");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/strata-test-program: No such file or directory");
  }
}

TEST(UserElfLoader, ClassifiesFilesForExecve) {
  TempFile riscv(make_elf(0x10000, {0, 0, 0, 0}));
  TempFile x86(make_elf(0x10000, {0, 0, 0, 0}, 0, ET_EXEC, EM_X86_64));
  TempFile script(std::vector<uint8_t>{'#', '!', '/', 'b', 'i', 'n', '/', 's', 'h', '\n'});
  EXPECT_EQ(classify_file(riscv.path()), FileKind::Riscv64Elf);
  EXPECT_EQ(classify_file(x86.path()), FileKind::OtherElf);
  EXPECT_EQ(classify_file(script.path()), FileKind::Script);
  EXPECT_EQ(classify_file("/nonexistent"), FileKind::Unknown);
}

TEST(UserElfLoader, SysrootLookupFallsBackToThePathItself) {
  const std::string root = fs::temp_directory_path() / ("strata-root-" + std::to_string(getpid()));
  fs::create_directories(root + "/lib");
  std::ofstream(root + "/lib/ld.so") << "x";
  EXPECT_EQ(resolve_in_sysroot(root, "/lib/ld.so"), root + "/lib/ld.so");
  EXPECT_EQ(resolve_in_sysroot(root, "/etc/hostname"), "/etc/hostname");
  EXPECT_EQ(resolve_in_sysroot(root, "relative"), "relative");
  EXPECT_EQ(resolve_in_sysroot("", "/lib/ld.so"), "/lib/ld.so");
  fs::remove_all(root);
}

TEST(UserInitialStack, ArgvEnvpAuxvLayout) {
  AddressSpace as;
  LoadedImage img;
  img.phdr = 0x10040;
  img.phent = 56;
  img.phnum = 9;
  img.program_entry = 0x10100;
  img.interp_base = 0x3ff0000000;
  std::array<uint8_t, 16> rnd;
  for (int i = 0; i < 16; ++i) rnd[i] = uint8_t(i * 7);
  const StackLayout st =
      build_initial_stack(as, {"prog", "arg one"}, {"A=1", "B=2", "C=3"}, "/bin/prog", img, rnd);
  EXPECT_EQ(st.sp % 16, 0u);
  std::vector<uint64_t> w(46);  // argc, 2 argv + NULL, 3 envp + NULL, 19 auxv pairs
  ASSERT_TRUE(as.read(st.sp, w.data(), w.size() * 8));
  EXPECT_EQ(w[0], 2u);
  std::string s;
  ASSERT_TRUE(as.read_string(w[1], s));
  EXPECT_EQ(s, "prog");
  ASSERT_TRUE(as.read_string(w[2], s));
  EXPECT_EQ(s, "arg one");
  EXPECT_EQ(w[3], 0u);
  ASSERT_TRUE(as.read_string(w[6], s));
  EXPECT_EQ(s, "C=3");
  EXPECT_EQ(w[7], 0u);
  std::map<uint64_t, uint64_t> aux;
  for (size_t i = 8; i + 1 < w.size(); i += 2) {
    aux[w[i]] = w[i + 1];
    if (w[i] == auxv::kNull) break;
  }
  EXPECT_EQ(aux[auxv::kPhdr], 0x10040u);
  EXPECT_EQ(aux[auxv::kPhent], 56u);
  EXPECT_EQ(aux[auxv::kPhnum], 9u);
  EXPECT_EQ(aux[auxv::kPagesz], 4096u);
  EXPECT_EQ(aux[auxv::kBase], 0x3ff0000000u);
  EXPECT_EQ(aux[auxv::kEntry], 0x10100u);
  EXPECT_EQ(aux[auxv::kUid], uint64_t(getuid()));
  EXPECT_EQ(aux[auxv::kSecure], 0u);
  EXPECT_EQ(aux[auxv::kClktck], 100u);
  EXPECT_GE(aux[auxv::kMinsigstksz], 1088u);
  // HWCAP: I M A F D C.
  EXPECT_EQ(aux[auxv::kHwcap], (1u << 8) | (1u << 12) | (1u << 0) | (1u << 5) | (1u << 3) | (1u << 2));
  uint8_t got[16];
  ASSERT_TRUE(as.read(aux[auxv::kRandom], got, 16));
  EXPECT_EQ(0, std::memcmp(got, rnd.data(), 16));
  ASSERT_TRUE(as.read_string(aux[auxv::kExecfn], s));
  EXPECT_EQ(s, "/bin/prog");
}

TEST(UserHwprobe, KeysForOurIsaAndUnknownKeys) {
  std::vector<HwprobePair> pairs = {
      {hwprobe::kBaseBehavior, 0}, {hwprobe::kImaExt0, 0}, {999, 5}, {hwprobe::kHighestVirtAddress, 0}};
  std::vector<uint8_t> cpus;
  ASSERT_EQ(riscv_hwprobe(pairs, cpus, 0), 0);
  EXPECT_EQ(pairs[0].value, 1u);
  const uint64_t ext = pairs[1].value;
  EXPECT_TRUE(ext & hwprobe::kImaFd);
  EXPECT_TRUE(ext & hwprobe::kImaC);
  EXPECT_TRUE(ext & hwprobe::kZba);
  EXPECT_TRUE(ext & hwprobe::kZbb);
  EXPECT_TRUE(ext & hwprobe::kZbs);
  EXPECT_TRUE(ext & hwprobe::kZicond);
  EXPECT_FALSE(ext & (1u << 2));  // no V
  EXPECT_EQ(pairs[2].key, -1);
  EXPECT_EQ(pairs[2].value, 0u);
  EXPECT_EQ(pairs[3].value, AddressSpace::kSize - 1);
  EXPECT_EQ(riscv_hwprobe(pairs, cpus, 2), -EINVAL);
}

TEST(UserHwprobe, WhichCpusClearsTheSetOnAMismatch) {
  std::vector<HwprobePair> want = {{hwprobe::kImaExt0, hwprobe::kImaFd | hwprobe::kZbb}};
  std::vector<uint8_t> cpus = {0xff};
  ASSERT_EQ(riscv_hwprobe(want, cpus, hwprobe::kWhichCpus), 0);
  EXPECT_EQ(cpus[0], 0xff);
  std::vector<HwprobePair> vector = {{hwprobe::kImaExt0, 1u << 2}};
  ASSERT_EQ(riscv_hwprobe(vector, cpus, hwprobe::kWhichCpus), 0);
  EXPECT_EQ(cpus[0], 0);
}

TEST(UserBinfmt, RegistrationLineMatchesRiscv64Elf) {
  const std::string line = binfmt_registration("/usr/bin/strata-riscv64-binfmt");
  EXPECT_EQ(
      line,
      ":strata-riscv64:M::\\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00"
      "\\x02\\x00\\xf3\\x00:\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff"
      "\\xfe\\xff\\xff\\xff:/usr/bin/strata-riscv64-binfmt:F");
  EXPECT_TRUE(is_binfmt_invocation("/usr/local/bin/strata-riscv64-binfmt"));
  EXPECT_TRUE(is_binfmt_invocation("strata-riscv64-binfmt"));
  EXPECT_FALSE(is_binfmt_invocation("/usr/bin/strata"));
}

TEST(UserBinfmt, InstallStatusRemoveAgainstAFakeMount) {
  const std::string dir = fs::temp_directory_path() / ("strata-binfmt-" + std::to_string(getpid()));
  fs::create_directories(dir);
  EXPECT_NE(binfmt_status(dir).find("not mounted"), std::string::npos);
  EXPECT_THROW(binfmt_install(dir, "/bin/true"), Error);
  std::ofstream(dir + "/register").close();
  EXPECT_NE(binfmt_install(dir, "/bin/true").find("registered"), std::string::npos);
  std::ifstream reg(dir + "/register");
  std::string written;
  std::getline(reg, written);
  EXPECT_EQ(written, binfmt_registration("/bin/true"));
  EXPECT_NE(binfmt_status(dir).find("not registered"), std::string::npos);
  std::ofstream(dir + "/strata-riscv64") << "enabled\ninterpreter /bin/true\nflags: F\n";
  EXPECT_NE(binfmt_status(dir).find("interpreter /bin/true"), std::string::npos);
  fs::remove_all(dir);
}

TEST(UserEnvironment, SetsReplacesAndRemoves) {
  const char* host[] = {"A=1", "B=2", "PATH=/bin", nullptr};
  const auto env = guest_environment(const_cast<char**>(host), {"B=3", "C=4", "A"});
  EXPECT_EQ(env, (std::vector<std::string>{"PATH=/bin", "B=3", "C=4"}));
}

}  // namespace
}  // namespace strata::user
