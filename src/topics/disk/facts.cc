#include "topics/disk/facts.h"

#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace sysbench::disk {
namespace {

namespace fs = std::filesystem;

std::string ReadLine(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

std::uint64_t ReadNumber(const fs::path& file) {
  const std::string line = ReadLine(file);
  try {
    return line.empty() ? 0 : std::stoull(line);
  } catch (...) {
    return 0;
  }
}

std::string MajorMinor(dev_t dev) {
  return std::to_string(major(dev)) + ":" + std::to_string(minor(dev));
}

std::string ReadAll(const std::string& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The interrupts of the PCI function above the disk `node` (its msi_irqs folder), the busiest one,
// and the CPU it is delivered to when that is a single CPU.
void LookUpInterrupt(const fs::path& node, StorageFacts& facts) {
  std::error_code ec;
  fs::path owner = fs::canonical(node / "device", ec);
  if (ec) return;
  while (owner.has_relative_path() && !fs::is_directory(owner / "msi_irqs", ec)) {
    owner = owner.parent_path();
  }
  if (!owner.has_relative_path()) return;
  std::vector<std::string> irqs;
  for (const auto& entry : fs::directory_iterator(owner / "msi_irqs", ec)) {
    irqs.push_back(entry.path().filename().string());
  }
  facts.interrupt = BusiestInterrupt(ReadAll("/proc/interrupts"), irqs);
  if (facts.interrupt.empty()) return;
  const std::string cpus = ReadLine("/proc/irq/" + facts.interrupt + "/effective_affinity_list");
  if (!cpus.empty() && cpus.find_first_not_of("0123456789") == std::string::npos) {
    facts.interrupt_cpu = std::stoi(cpus);
  }
}

// Reads the queue/ facts of the block device `dev` (the disk, when `dev` is a partition).
void LookUpQueue(dev_t dev, StorageFacts& facts) {
  std::error_code ec;
  fs::path node = fs::canonical(fs::path("/sys/dev/block") / MajorMinor(dev), ec);
  if (ec) return;
  if (fs::exists(node / "partition", ec)) node = node.parent_path();
  const fs::path queue = node / "queue";
  if (!fs::exists(queue, ec)) return;
  facts.device = node.filename().string();
  const std::string rotational = ReadLine(queue / "rotational");
  if (!rotational.empty()) facts.rotational = rotational == "1" ? 1 : 0;
  facts.logical_block = ReadNumber(queue / "logical_block_size");
  facts.physical_block = ReadNumber(queue / "physical_block_size");
  facts.scheduler = ActiveScheduler(ReadLine(queue / "scheduler"));
  LookUpInterrupt(node, facts);
}

bool IsPrefixPath(std::string_view prefix, std::string_view path) {
  if (prefix == "/") return true;
  return path.substr(0, prefix.size()) == prefix &&
         (path.size() == prefix.size() || path[prefix.size()] == '/');
}

}  // namespace

std::string FilesystemName(unsigned long magic, StorageFacts* flags) {
  struct Known {
    unsigned long magic;
    const char* name;
    int kind;  // 0 disk, 1 memory, 2 overlay, 3 network
  };
  static const Known kKnown[] = {
      {EXT4_SUPER_MAGIC, "ext4", 0},   {XFS_SUPER_MAGIC, "xfs", 0},
      {BTRFS_SUPER_MAGIC, "btrfs", 0}, {0x2011BAB0UL, "exfat", 0},
      {MSDOS_SUPER_MAGIC, "vfat", 0},  {0xF2F52010UL, "f2fs", 0},
      {0x2FC12FC1UL, "zfs", 0},        {TMPFS_MAGIC, "tmpfs", 1},
      {RAMFS_MAGIC, "ramfs", 1},       {OVERLAYFS_SUPER_MAGIC, "overlay", 2},
      {NFS_SUPER_MAGIC, "nfs", 3},     {0xFF534D42UL, "cifs", 3},
      {0xFE534D42UL, "smb2", 3},       {0x65735546UL, "fuse", 3},
      {0x01021997UL, "9p", 3},         {0x6a656a63UL, "virtiofs?", 3},
  };
  for (const Known& k : kKnown) {
    if (k.magic != magic) continue;
    if (flags) {
      flags->memory_fs = k.kind == 1;
      flags->overlay_fs = k.kind == 2;
      flags->network_fs = k.kind == 3;
    }
    return k.name;
  }
  std::ostringstream hex;
  hex << "0x" << std::hex << magic;
  return hex.str();
}

std::string ActiveScheduler(std::string_view text) {
  const auto open = text.find('[');
  const auto close = text.find(']', open == std::string_view::npos ? 0 : open);
  if (open == std::string_view::npos || close == std::string_view::npos) {
    return std::string(text.substr(0, text.find(' ')));
  }
  return std::string(text.substr(open + 1, close - open - 1));
}

MountEntry FindMount(std::string_view mountinfo, std::string_view major_minor,
                     std::string_view path) {
  MountEntry best;
  std::istringstream lines{std::string(mountinfo)};
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::vector<std::string> words;
    for (std::string w; fields >> w;) words.push_back(w);
    if (words.size() < 7 || words[2] != major_minor) continue;
    std::size_t dash = 6;
    while (dash < words.size() && words[dash] != "-") ++dash;
    if (dash + 3 > words.size()) continue;
    const std::string& mount_point = words[4];
    if (!IsPrefixPath(mount_point, path)) continue;
    if (!best.mount_point.empty() && mount_point.size() <= best.mount_point.size()) continue;
    best.mount_point = mount_point;
    best.fs_type = words[dash + 1];
    best.options = words[5] + (dash + 3 < words.size() ? "," + words[dash + 3] : "");
  }
  return best;
}

std::string BusiestInterrupt(std::string_view proc_interrupts,
                             const std::vector<std::string>& irqs) {
  std::istringstream lines{std::string(proc_interrupts)};
  std::string line, best;
  std::uint64_t best_count = 0;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string name, word;
    words >> name;
    if (name.empty() || name.back() != ':') continue;
    name.pop_back();
    if (std::find(irqs.begin(), irqs.end(), name) == irqs.end()) continue;
    std::uint64_t count = 0;  // the per-CPU columns: the leading numbers after the name
    while (words >> word && word.find_first_not_of("0123456789") == std::string::npos) {
      count += std::stoull(word);
    }
    if (best.empty() || count > best_count) {
      best = name;
      best_count = count;
    }
  }
  return best;
}

StorageFacts LookUpFolder(const std::string& path) {
  StorageFacts facts;
  struct statfs info {};
  if (statfs(path.c_str(), &info) == 0) {
    facts.fs_type = FilesystemName(static_cast<unsigned long>(info.f_type), &facts);
  }
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return facts;
  std::error_code ec;
  const std::string absolute = fs::canonical(path, ec).string();
  const MountEntry mount =
      FindMount(ReadAll("/proc/self/mountinfo"), MajorMinor(st.st_dev), ec ? path : absolute);
  facts.mount_point = mount.mount_point;
  facts.mount_options = mount.options;
  if (facts.fs_type.rfind("0x", 0) == 0 && !mount.fs_type.empty()) facts.fs_type = mount.fs_type;
  LookUpQueue(st.st_dev, facts);
  return facts;
}

StorageFacts LookUpBlockDevice(const std::string& path) {
  StorageFacts facts;
  facts.fs_type = "block device";
  struct stat st {};
  if (stat(path.c_str(), &st) == 0 && S_ISBLK(st.st_mode)) LookUpQueue(st.st_rdev, facts);
  return facts;
}

}  // namespace sysbench::disk
