package io.tern.stream;

/**
 * How values are written to the store: as they are, or sealed with an authenticated cipher. Every
 * value RocksStorage writes or reads goes through the codec, so whatever is stored (messages,
 * stream configurations, states, consumer state) is encrypted alike when the store is.
 *
 * <p>{@code scope} selects the key: a stream's id for that stream's records (each stream gets its
 * own derived key), {@link #STORE_SCOPE} for records of the store as a whole. {@code key} is the
 * record's RocksDB key; an encrypting codec authenticates it with the value, so a sealed value
 * cannot be moved to another key unnoticed.
 */
public interface ValueCodec {

  /** The scope of records that belong to no stream (stream configurations, the key check). */
  long STORE_SCOPE = 0;

  /** Stores values unchanged. */
  ValueCodec PLAIN = new ValueCodec() {
    @Override
    public byte[] seal(long scope, byte[] key, byte[] value) {
      return value;
    }

    @Override
    public byte[] open(long scope, byte[] key, byte[] stored) {
      return stored;
    }

    @Override
    public String description() {
      return "none";
    }
  };

  byte[] seal(long scope, byte[] key, byte[] value);

  /**
   * Reverses {@link #seal}.
   *
   * @throws StoreKeyException when the value does not authenticate (wrong key, tampering)
   */
  byte[] open(long scope, byte[] key, byte[] stored);

  /** What the store's key check record calls this codec: {@code none}, {@code aes}, {@code chachapoly}. */
  String description();
}
