package io.tern.stream;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A RocksStorage opened on a Vert.x context, with helpers to run code there and wait for the group
 * commit, and a scan of every file under the store directory for a byte string.
 */
final class StoreFixture implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final Context context = vertx.getOrCreateContext();
  final RocksStorage storage;

  StoreFixture(Path dir, ValueCodec codec) {
    storage = RocksStorage.open(dir, true, codec);
    call(() -> {
      storage.bind(context);
      return null;
    });
  }

  /** Runs {@code action} on the storage's context and waits until its writes are committed. */
  <T> T call(Supplier<T> action) {
    CompletableFuture<T> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        T result = action.get();
        if (storage.isBound()) {
          storage.afterCommit(() -> done.complete(result));
        } else {
          done.complete(result);
        }
      } catch (Throwable t) {
        done.completeExceptionally(t);
      }
    });
    try {
      return done.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e.getCause() != null ? e.getCause() : e);
    }
  }

  /** A new file stream called {@code name} capturing {@code subject}. */
  io.tern.stream.Stream create(String name, String subject) {
    return call(() -> {
      StreamConfig cfg = StreamConfig.fromJson(new JsonObject()
          .put("name", name).put("subjects", new io.vertx.core.json.JsonArray().add(subject))).withDefaults();
      RocksStreamStore store = storage.create(StreamService.GLOBAL_ACCOUNT, name);
      io.tern.stream.Stream s = new io.tern.stream.Stream(StreamService.GLOBAL_ACCOUNT, store.id(), cfg, 1L, store);
      s.saveConfig();
      return s;
    });
  }

  /** Every stream in the store, recovered as the stream verticle does. */
  List<io.tern.stream.Stream> recover() {
    return call(() -> {
      List<io.tern.stream.Stream> out = new ArrayList<>();
      for (RocksStorage.Recovered r : storage.recover()) {
        JsonObject j = new JsonObject(r.json());
        StreamConfig cfg = StreamConfig.fromJson(j.getJsonObject("config")).withDefaults();
        io.tern.stream.Stream s = new io.tern.stream.Stream("$G", r.id(), cfg, 1L, r.store());
        s.recover(r.lastSeq(), r.lastTimestamp(), Rfc3339.nowNanos());
        out.add(s);
      }
      return out;
    });
  }

  @Override
  public void close() {
    call(() -> {
      storage.endTurnNow();
      return null;
    });
    storage.close();
    vertx.close().await();
  }

  /** The files under {@code dir} whose bytes contain {@code marker}. */
  static List<String> filesContaining(Path dir, String marker) {
    byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (indexOf(Files.readAllBytes(f), needle) >= 0) {
          out.add(dir.relativize(f).toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Every file under {@code dir} (its info LOGs aside) with its content hash. */
  static List<String> contentHashes(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      List<String> out = new ArrayList<>();
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        if (!f.getFileName().toString().startsWith("LOG")) {
          byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
          out.add(dir.relativize(f) + " " + java.util.HexFormat.of().formatHex(digest));
        }
      }
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
