package io.spacecrab.notify;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** A CIDR block such as {@code 10.0.0.0/8} or {@code fe80::/10}. */
record AddressBlock(byte[] network, int prefixLength) {

  /** Parses {@code address/prefix} or a bare address (a block of one); only IP literals. */
  static AddressBlock parse(String cidr) {
    int slash = cidr.indexOf('/');
    String address = slash < 0 ? cidr : cidr.substring(0, slash);
    if (!isIpLiteral(address)) {
      throw new IllegalArgumentException("not an IP address or CIDR block: " + cidr);
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address or CIDR block: " + cidr);
    }
    if (address.contains(":") && bytes.length == 4) {
      bytes = mapped(bytes);
    }
    int prefix;
    try {
      prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an IP address or CIDR block: " + cidr);
    }
    if (prefix < 0 || prefix > bytes.length * 8) {
      throw new IllegalArgumentException("prefix length out of range: " + cidr);
    }
    return new AddressBlock(bytes, prefix);
  }

  /** True for dotted IPv4 or colon-separated IPv6 text (so parsing it never touches DNS). */
  static boolean isIpLiteral(String s) {
    if (s.isEmpty()) {
      return false;
    }
    if (s.contains(":")) {
      return s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
    }
    return s.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.')
        && s.split("\\.", -1).length == 4;
  }

  /** True when the address lies in this block (same family only). */
  boolean contains(InetAddress address) {
    return contains(address.getAddress());
  }

  boolean contains(byte[] bytes) {
    if (bytes.length != network.length) {
      return false;
    }
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (bytes[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (bytes[full] & mask) == (network[full] & mask);
  }

  /** {@code ::ffff:a.b.c.d} for an IPv4 address. */
  static byte[] mapped(byte[] v4) {
    byte[] v6 = new byte[16];
    v6[10] = (byte) 0xff;
    v6[11] = (byte) 0xff;
    System.arraycopy(v4, 0, v6, 12, 4);
    return v6;
  }

  /** The IPv4 address an IPv6 address carries in a standard embedding, else null. */
  static Inet4Address embeddedIpv4(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return null;
    }
    byte[] b = address.getAddress();
    byte[] v4 = null;
    if (zeros(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      v4 = slice(b, 12); // ::ffff:0:0/96, IPv4-mapped
    } else if (zeros(b, 0, 12) && !(zeros(b, 12, 15) && (b[15] == 0 || b[15] == 1))) {
      v4 = slice(b, 12); // ::/96, IPv4-compatible (deprecated), but not :: or ::1
    } else if (b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
        && zeros(b, 4, 12)) {
      v4 = slice(b, 12); // 64:ff9b::/96, NAT64
    } else if (b[0] == 0x20 && b[1] == 0x02) {
      v4 = slice(b, 2); // 2002::/16, 6to4
    }
    if (v4 == null) {
      return null;
    }
    try {
      return (Inet4Address) InetAddress.getByAddress(v4);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean zeros(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static byte[] slice(byte[] b, int from) {
    byte[] v4 = new byte[4];
    System.arraycopy(b, from, v4, 0, 4);
    return v4;
  }
}
