package io.tern.common.config;

import java.nio.file.Path;
import java.time.Duration;

/** The {@code jetstream} block. */
public class JetStreamOptions {
  private boolean enabled = true;
  private Path storeDir;
  private long maxMemoryStore = -1;
  private long maxFileStore = -1;
  private Duration syncInterval;
  private JetStreamEncryptionOptions encryption = new JetStreamEncryptionOptions();

  public boolean isEnabled() { return enabled; }
  public JetStreamOptions setEnabled(boolean enabled) { this.enabled = enabled; return this; }

  /** Where streams are stored; null means the default data directory. */
  public Path getStoreDir() { return storeDir; }
  public JetStreamOptions setStoreDir(Path storeDir) { this.storeDir = storeDir; return this; }

  public long getMaxMemoryStore() { return maxMemoryStore; }
  public JetStreamOptions setMaxMemoryStore(long maxMemoryStore) { this.maxMemoryStore = maxMemoryStore; return this; }

  /**
   * How often the store syncs to disk when it does not sync before every acknowledgement; null
   * (the default, {@code sync_interval: always}) syncs each group commit before acknowledging it.
   */
  public Duration getSyncInterval() { return syncInterval; }
  public JetStreamOptions setSyncInterval(Duration syncInterval) { this.syncInterval = syncInterval; return this; }

  public long getMaxFileStore() { return maxFileStore; }
  public JetStreamOptions setMaxFileStore(long maxFileStore) { this.maxFileStore = maxFileStore; return this; }

  /** Encryption at rest ({@code key}, {@code cipher}); never null, disabled without a key. */
  public JetStreamEncryptionOptions getEncryption() { return encryption; }
  public JetStreamOptions setEncryption(JetStreamEncryptionOptions encryption) { this.encryption = encryption; return this; }
}
