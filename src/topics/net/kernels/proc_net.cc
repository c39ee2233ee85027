#include "topics/net/kernels/proc_net.h"

#include <cstring>

namespace sysbench::kernels {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Hex digits [begin, end) as an unsigned number of at most 16 digits.
bool ParseHex(std::string_view text, std::uint64_t* out) {
  if (text.empty() || text.size() > 16) return false;
  std::uint64_t v = 0;
  for (char c : text) {
    const int d = HexDigit(c);
    if (d < 0) return false;
    v = v << 4 | static_cast<std::uint64_t>(d);
  }
  *out = v;
  return true;
}

bool ParseDecimal(std::string_view text, std::uint64_t* out) {
  if (text.empty() || text.size() > 19) return false;
  std::uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  *out = v;
  return true;
}

// The next whitespace-separated field, or an empty view at the end.
std::string_view NextField(std::string_view& rest) {
  std::size_t i = 0;
  while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\t')) ++i;
  std::size_t j = i;
  while (j < rest.size() && rest[j] != ' ' && rest[j] != '\t' && rest[j] != '\n') ++j;
  const std::string_view field = rest.substr(i, j - i);
  rest.remove_prefix(j);
  return field;
}

// "0100007F:1CEE": the kernel prints each 32-bit word of the address as the CPU holds it, so the
// word is stored back in native order to recover the network bytes.
bool ParseAddressPort(std::string_view field, bool ipv6, ProcSocket* out) {
  const std::size_t colon = field.find(':');
  const std::size_t hex_digits = ipv6 ? 32 : 8;
  if (colon != hex_digits) return false;
  for (std::size_t word = 0; word < hex_digits / 8; ++word) {
    std::uint64_t value = 0;
    if (!ParseHex(field.substr(word * 8, 8), &value)) return false;
    const auto native = static_cast<std::uint32_t>(value);
    std::memcpy(out->address.data() + 4 * word, &native, 4);
  }
  std::uint64_t port = 0;
  const std::string_view port_text = field.substr(colon + 1);
  if (port_text.size() != 4 || !ParseHex(port_text, &port)) return false;
  out->port = static_cast<std::uint16_t>(port);
  return true;
}

}  // namespace

bool ParseProcNetLine(std::string_view line, bool ipv6, ProcSocket* out) {
  ProcSocket s;
  s.ipv6 = ipv6;
  std::string_view rest = line;
  const std::string_view slot = NextField(rest);  // "0:"
  if (slot.size() < 2 || slot.back() != ':') return false;
  std::uint64_t ignored = 0;
  if (!ParseDecimal(slot.substr(0, slot.size() - 1), &ignored)) return false;
  if (!ParseAddressPort(NextField(rest), ipv6, &s)) return false;
  ProcSocket remote;
  if (!ParseAddressPort(NextField(rest), ipv6, &remote)) return false;
  std::uint64_t state = 0;
  const std::string_view state_text = NextField(rest);
  if (state_text.size() != 2 || !ParseHex(state_text, &state)) return false;
  s.state = static_cast<std::uint8_t>(state);
  NextField(rest);  // tx_queue:rx_queue
  NextField(rest);  // tr:tm->when
  NextField(rest);  // retrnsmt
  std::uint64_t uid = 0, inode = 0;
  if (!ParseDecimal(NextField(rest), &uid) || uid > 0xffffffffu) return false;
  NextField(rest);  // timeout
  if (!ParseDecimal(NextField(rest), &inode)) return false;
  s.uid = static_cast<std::uint32_t>(uid);
  s.inode = inode;
  *out = s;
  return true;
}

bool IsV4Mapped(const std::array<std::uint8_t, 16>& a) {
  for (int i = 0; i < 10; ++i) {
    if (a[static_cast<std::size_t>(i)] != 0) return false;
  }
  return a[10] == 0xff && a[11] == 0xff;
}

BindScope ClassifyAddress(bool ipv6, const std::array<std::uint8_t, 16>& a) {
  const std::uint8_t* v4 = nullptr;
  if (!ipv6) {
    v4 = a.data();
  } else if (IsV4Mapped(a)) {
    v4 = a.data() + 12;
  }
  if (v4 != nullptr) {
    if (v4[0] == 127) return BindScope::kLoopback;
    if (v4[0] == 0 && v4[1] == 0 && v4[2] == 0 && v4[3] == 0) return BindScope::kWildcard;
    return BindScope::kAddress;
  }
  bool zero_prefix = true;
  for (int i = 0; i < 15; ++i) zero_prefix = zero_prefix && a[static_cast<std::size_t>(i)] == 0;
  if (zero_prefix && a[15] == 0) return BindScope::kWildcard;
  if (zero_prefix && a[15] == 1) return BindScope::kLoopback;
  return BindScope::kAddress;
}

}  // namespace sysbench::kernels
