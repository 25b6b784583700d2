package io.spacecrab.notify;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Turns a host name into the addresses a connection to it may use. */
@FunctionalInterface
public interface HostResolver {
  /** The JVM's resolver (and its cache, which the HTTP client then shares). */
  HostResolver SYSTEM = InetAddress::getAllByName;

  /** Every address of the host (at least one); throws when the name does not resolve. */
  InetAddress[] resolve(String host) throws UnknownHostException;
}
