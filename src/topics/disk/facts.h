// What the storage under a folder (or a block device node) says it is: looked up from statfs,
// /proc/self/mountinfo and /sys/dev/block, never measured.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sysbench::disk {

struct StorageFacts {
  std::string fs_type;      // "ext4", "tmpfs", "overlay", "nfs", ... ("block device" for --device)
  bool memory_fs = false;   // tmpfs/ramfs: no disk behind the pages
  bool overlay_fs = false;  // overlay: a container's layered root
  bool network_fs = false;  // nfs, cifs, fuse...: the far side decides
  std::string mount_point;
  std::string mount_options;
  std::string device;               // "vda": the whole disk, also when the folder is on a partition
  int rotational = -1;              // sysfs queue/rotational; -1 unknown
  std::uint64_t logical_block = 0;  // 0 unknown
  std::uint64_t physical_block = 0;  // 0 unknown
  std::string scheduler;             // the bracketed word of queue/scheduler
  // The disk's busiest MSI interrupt and the one CPU it is delivered to (-1: unknown or several).
  // At QD1 a task on another CPU is woken across CPUs for every completion.
  std::string interrupt;
  int interrupt_cpu = -1;
};

// Facts for the filesystem holding `path` (a folder or file).
StorageFacts LookUpFolder(const std::string& path);
// Facts for a block device node.
StorageFacts LookUpBlockDevice(const std::string& path);

// statfs f_type -> name ("ext4", "tmpfs", ... "0x1234" when unknown); sets the three flags.
std::string FilesystemName(unsigned long magic, StorageFacts* flags = nullptr);

struct MountEntry {
  std::string mount_point;
  std::string fs_type;
  std::string options;  // per-mount options, then the superblock's
};
// The /proc/self/mountinfo line for device "major:minor" whose mount point is the longest prefix
// of `path` (bind mounts repeat the device); empty fields when none matches.
MountEntry FindMount(std::string_view mountinfo, std::string_view major_minor,
                     std::string_view path);

// The busiest of `irqs` (numbers as /proc/interrupts names them, counts summed over the CPUs) in
// the text of /proc/interrupts; "" when none of them is listed.
std::string BusiestInterrupt(std::string_view proc_interrupts,
                             const std::vector<std::string>& irqs);

// "none [mq-deadline] kyber" -> "mq-deadline"; a single word without brackets is returned as is.
std::string ActiveScheduler(std::string_view text);

}  // namespace sysbench::disk
