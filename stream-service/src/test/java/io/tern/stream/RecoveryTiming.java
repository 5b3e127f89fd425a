package io.tern.stream;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Not a test: writes {@code N} (default 1M) 16-byte messages over 100 subjects to one file stream,
 * closes the store, and prints how long reopening and recovering it takes. Run by hand with the
 * test classpath: {@code java -cp ... io.tern.stream.RecoveryTiming [N] [dir]}.
 */
public final class RecoveryTiming {

  private RecoveryTiming() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("tern-recovery");
    byte[] payload = new byte[16];
    if (!Files.exists(dir.resolve("written"))) {
      long t0 = System.nanoTime();
      try (StoreFixture f = new StoreFixture(dir, ValueCodec.PLAIN)) {
        Stream s = f.create("S", "s.>");
        int batch = 10_000;
        for (int i = 0; i < n; i += batch) {
          int from = i;
          f.call(() -> {
            for (int j = from; j < Math.min(n, from + batch); j++) {
              s.publish("s." + (j % 100), null, payload, System.nanoTime());
            }
            return null;
          });
        }
      }
      Files.createFile(dir.resolve("written"));
      System.out.printf("wrote %d messages in %d ms%n", n, (System.nanoTime() - t0) / 1_000_000);
    }
    for (int round = 0; round < 3; round++) {
      long t1 = System.nanoTime();
      try (StoreFixture f = new StoreFixture(dir, ValueCodec.PLAIN)) {
        long opened = System.nanoTime();
        Stream s = f.recover().get(0);
        long recovered = System.nanoTime();
        System.out.printf("open %d ms, recover %d ms: %d messages, %d subjects%n",
            (opened - t1) / 1_000_000, (recovered - opened) / 1_000_000, s.messages(),
            s.subjectCounts(">").size());
      }
    }
  }
}
