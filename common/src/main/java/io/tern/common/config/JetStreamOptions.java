package io.tern.common.config;

import java.nio.file.Path;

/** The {@code jetstream} block. */
public class JetStreamOptions {
  private boolean enabled = true;
  private Path storeDir;
  private long maxMemoryStore = -1;
  private long maxFileStore = -1;

  public boolean isEnabled() { return enabled; }
  public JetStreamOptions setEnabled(boolean enabled) { this.enabled = enabled; return this; }

  /** Where streams are stored; null means the default data directory. */
  public Path getStoreDir() { return storeDir; }
  public JetStreamOptions setStoreDir(Path storeDir) { this.storeDir = storeDir; return this; }

  public long getMaxMemoryStore() { return maxMemoryStore; }
  public JetStreamOptions setMaxMemoryStore(long maxMemoryStore) { this.maxMemoryStore = maxMemoryStore; return this; }

  public long getMaxFileStore() { return maxFileStore; }
  public JetStreamOptions setMaxFileStore(long maxFileStore) { this.maxFileStore = maxFileStore; return this; }
}
