package io.spacecrab.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP relay between an AWS client and its endpoint (moto) that records every HTTP request that
 * passes: when its head arrived ({@link System#nanoTime()}), the service from the SigV4 credential
 * scope of its Authorization header ({@code Credential=AKID/date/region/iam/aws4_request}) and the
 * IAM action from the form body. The bytes are forwarded unchanged in both directions, so SigV4
 * signatures (which cover the Host header) stay valid and moto answers exactly as it would directly.
 *
 * <p>Request bodies are delimited by Content-Length or chunked encoding, as the AWS SDK sends them.
 */
public final class AwsCallRecorder implements AutoCloseable {
  /** One request as it arrived. */
  public record Call(long nanos, String service, String action) {}

  /** How long the upstream took to start answering a request sent at {@code sentNanos} (its last byte forwarded). */
  public record Latency(String service, String action, long sentNanos, long nanos) {}

  /** The request of a connection that awaits the first byte of its answer. */
  private record Pending(String service, String action, long sentNanos) {}

  private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request");
  private static final Pattern ACTION = Pattern.compile("(?:^|&)Action=([A-Za-z]+)");

  private final ServerSocket server;
  private final URI upstream;
  private final List<Call> calls = new ArrayList<>();
  private final List<Latency> latencies = new ArrayList<>();
  private final AtomicLong unparsed = new AtomicLong();
  private volatile boolean closed;

  private AwsCallRecorder(ServerSocket server, URI upstream) {
    this.server = server;
    this.upstream = upstream;
  }

  /** A relay on a free loopback port in front of {@code upstream} (http://host:port). */
  public static AwsCallRecorder start(URI upstream) throws IOException {
    ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    AwsCallRecorder recorder = new AwsCallRecorder(server, upstream);
    Thread acceptor = new Thread(recorder::acceptLoop, "aws-recorder-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    return recorder;
  }

  /** The endpoint clients should use instead of the upstream one. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** Every request so far, in arrival order. */
  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The requests of one service (e.g. "iam") that arrived in [from, to) nanoTime, by arrival time. */
  public synchronized List<Call> calls(String service, long from, long to) {
    List<Call> result = new ArrayList<>();
    for (Call c : calls) {
      if (service.equals(c.service()) && c.nanos() >= from && c.nanos() < to) {
        result.add(c);
      }
    }
    // recorded when a request is complete, so connections can interleave: order by arrival
    result.sort(java.util.Comparator.comparingLong(Call::nanos));
    return result;
  }

  /** Connections whose requests could not be delimited (then only the first request of each was recorded). */
  public long unparsed() {
    return unparsed.get();
  }

  /** Every answer latency so far. */
  public synchronized List<Latency> latencies() {
    return List.copyOf(latencies);
  }

  /** When the last request of any service arrived (nanoTime), or 0. */
  public synchronized long lastNanos() {
    return calls.isEmpty() ? 0 : calls.get(calls.size() - 1).nanos();
  }

  private synchronized void record(Call call) {
    calls.add(call);
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Socket target = new Socket(upstream.getHost(), upstream.getPort());
        client.setTcpNoDelay(true);
        target.setTcpNoDelay(true);
        java.util.concurrent.atomic.AtomicReference<Pending> pending = new java.util.concurrent.atomic.AtomicReference<>();
        daemon("aws-recorder-up", () -> relayRequests(client, target, pending));
        daemon("aws-recorder-down", () -> pump(target, client, pending));
      } catch (IOException e) {
        if (!closed) {
          System.err.println("aws recorder: " + e);
        }
      }
    }
  }

  /** Client to upstream: forwards every byte, parsing request heads and skipping bodies. */
  private void relayRequests(Socket client, Socket target, java.util.concurrent.atomic.AtomicReference<Pending> pending) {
    try (client; target) {
      // buffered: heads are parsed byte by byte
      InputStream in = new BufferedInputStream(client.getInputStream(), 16384);
      OutputStream out = new BufferedOutputStream(target.getOutputStream(), 16384);
      while (true) {
        byte[] head = readHead(in);
        if (head == null) {
          return;
        }
        long arrived = System.nanoTime();
        out.write(head);
        out.flush(); // at once: a client that sent "Expect: 100-continue" waits for the answer to the head
        String headText = new String(head, StandardCharsets.ISO_8859_1);
        String service = service(headText);
        long length = contentLength(headText);
        boolean chunked = headText.toLowerCase(Locale.ROOT).contains("\ntransfer-encoding: chunked");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
          copyChunked(in, out, body);
        } else if (length > 0) {
          copy(in, out, length, body);
        } else if (length < 0 && headText.startsWith("POST")) {
          // neither length nor chunks: the rest of the connection is the body
          unparsed.incrementAndGet();
          record(new Call(arrived, service, action(service, body)));
          in.transferTo(out);
          out.flush();
          return;
        }
        String action = action(service, body);
        // no pipelining (the SDK waits for each answer): the next answer bytes belong to this request
        pending.set(new Pending(service, action, System.nanoTime()));
        out.flush();
        record(new Call(arrived, service, action));
      }
    } catch (IOException e) {
      // a connection closed by either side ends the relay
    }
  }

  private static String service(String head) {
    Matcher m = SCOPE.matcher(head);
    return m.find() ? m.group(1) : "unsigned";
  }

  private static String action(String service, ByteArrayOutputStream body) {
    if (!"iam".equals(service)) {
      return null;
    }
    Matcher m = ACTION.matcher(body.toString(StandardCharsets.ISO_8859_1));
    return m.find() ? m.group(1) : "?";
  }

  /** Content-Length of a request head, or -1 when there is none. */
  private static long contentLength(String head) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
        return Long.parseLong(line.substring(colon + 1).trim());
      }
    }
    return -1;
  }

  /** Reads up to and including the blank line ending a request head; null at end of stream. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream(1024);
    int matched = 0; // how much of CR LF CR LF was just seen
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      if (b == '\r') {
        matched = matched == 2 ? 3 : 1;
      } else if (b == '\n') {
        matched = matched == 1 ? 2 : matched == 3 ? 4 : 0;
      } else {
        matched = 0;
      }
    }
    return head.toByteArray();
  }

  private static void copy(InputStream in, OutputStream out, long length, ByteArrayOutputStream keep)
      throws IOException {
    byte[] buffer = new byte[8192];
    long left = length;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new IOException("connection closed inside a request body");
      }
      out.write(buffer, 0, n);
      if (keep.size() < 4096) {
        keep.write(buffer, 0, n);
      }
      left -= n;
    }
  }

  private static void copyChunked(InputStream in, OutputStream out, ByteArrayOutputStream keep) throws IOException {
    while (true) {
      String sizeLine = readLine(in, out);
      long size = Long.parseLong(sizeLine.split(";")[0].trim(), 16);
      if (size == 0) {
        // trailers, then the blank line
        while (!readLine(in, out).isEmpty()) {
          // forwarded by readLine
        }
        return;
      }
      copy(in, out, size, keep);
      readLine(in, out);
    }
  }

  /** Reads and forwards one CRLF-terminated line; returns it without the CRLF. */
  private static String readLine(InputStream in, OutputStream out) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int previous = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed inside a chunked body");
      }
      out.write(b);
      if (previous == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
      previous = b;
    }
  }

  /** Upstream to client: a plain byte copy, noting when each answer starts. */
  private void pump(Socket from, Socket to, java.util.concurrent.atomic.AtomicReference<Pending> pending) {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      byte[] buffer = new byte[16384];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        Pending answered = pending.getAndSet(null);
        if (answered != null) {
          synchronized (this) {
            latencies.add(new Latency(answered.service(), answered.action(), answered.sentNanos(),
                System.nanoTime() - answered.sentNanos()));
          }
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // closed
    } finally {
      try {
        to.shutdownOutput();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }

  private static void daemon(String name, Runnable task) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
  }
}
