package io.tern.stream;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * The record that says how a store is encrypted ({@code none}, {@code aes} or {@code chachapoly},
 * then for a cipher a sealed known text), and the check against the configuration that runs before
 * the store is opened for writing. The check opens the database read-only, so a refused start
 * (wrong key, plaintext store with a key, encrypted store without one) changes no data, WAL or
 * manifest. A store without streams may change its encryption; one with streams never holds a mix.
 */
final class StoreKeyCheck {

  static final byte[] KEY = "tern:encryption".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] KNOWN = "tern JetStream key check".getBytes(StandardCharsets.US_ASCII);

  private StoreKeyCheck() {
  }

  /** What the check found: whether the record must be (re)written once the store is open. */
  enum Outcome { MATCHES, WRITE_RECORD }

  /** The record for {@code codec}. */
  static byte[] record(ValueCodec codec) {
    byte[] name = codec.description().getBytes(StandardCharsets.US_ASCII);
    if (codec == ValueCodec.PLAIN) {
      return name;
    }
    byte[] sealed = codec.seal(ValueCodec.STORE_SCOPE, KEY, KNOWN);
    byte[] out = Arrays.copyOf(name, name.length + 1 + sealed.length);
    System.arraycopy(sealed, 0, out, name.length + 1, sealed.length);
    return out;
  }

  /**
   * Checks the database in {@code dir} (if there is one) against {@code codec}.
   *
   * @throws StoreKeyException with the reason, when the store must not be opened
   */
  static Outcome check(Path dir, ValueCodec codec) {
    if (!Files.exists(dir.resolve("CURRENT"))) {
      return Outcome.WRITE_RECORD;
    }
    byte[] record;
    boolean empty;
    try (Options listOptions = new Options(); DBOptions options = new DBOptions()) {
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      for (byte[] name : RocksDB.listColumnFamilies(listOptions, dir.toString())) {
        descriptors.add(new ColumnFamilyDescriptor(name));
      }
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      try (RocksDB db = RocksDB.openReadOnly(options, dir.toString(), descriptors, handles)) {
        try {
          record = db.get(handles.get(0), KEY);
          empty = true;
          for (int i = 1; i < handles.size(); i++) {
            try (RocksIterator it = db.newIterator(handles.get(i))) {
              it.seekToFirst();
              empty &= !it.isValid();
            }
          }
        } finally {
          handles.forEach(ColumnFamilyHandle::close);
        }
      }
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot read the JetStream store in " + dir + ": " + e.getMessage(), e);
    }
    String stored = record == null ? "none" : storedCipher(record);
    String wanted = codec.description();
    if (!stored.equals(wanted)) {
      if (empty) {
        return Outcome.WRITE_RECORD;
      }
      if (stored.equals("none")) {
        throw new StoreKeyException("the JetStream store in " + dir + " is not encrypted but jetstream.key is set;"
            + " refusing to mix plaintext and encrypted records (back up the streams, start on an empty store"
            + " directory with the key and restore them)");
      }
      if (wanted.equals("none")) {
        throw new StoreKeyException("the JetStream store in " + dir + " is encrypted (" + stored
            + ") but no jetstream.key is configured");
      }
      throw new StoreKeyException("the JetStream store in " + dir + " is encrypted with " + stored
          + " but jetstream.cipher is " + wanted);
    }
    if (codec != ValueCodec.PLAIN) {
      byte[] sealed = Arrays.copyOfRange(record, stored.length() + 1, record.length);
      byte[] opened;
      try {
        opened = codec.open(ValueCodec.STORE_SCOPE, KEY, sealed);
      } catch (StoreKeyException e) {
        opened = null;
      }
      if (opened == null || !Arrays.equals(opened, KNOWN)) {
        throw new StoreKeyException("the JetStream store in " + dir
            + " cannot be decrypted with the configured jetstream.key (wrong key); the store was not changed");
      }
    }
    return record == null ? Outcome.WRITE_RECORD : Outcome.MATCHES;
  }

  private static String storedCipher(byte[] record) {
    int end = 0;
    while (end < record.length && record[end] != 0) {
      end++;
    }
    return new String(record, 0, end, StandardCharsets.US_ASCII);
  }
}
