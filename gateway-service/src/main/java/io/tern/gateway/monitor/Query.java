package io.tern.gateway.monitor;

import io.vertx.core.MultiMap;

/** Query parameters decoded as nats-server decodes them, with its error messages. */
final class Query {
  private final MultiMap params;

  Query(MultiMap params) {
    this.params = params;
  }

  String string(String name) {
    String v = params.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  int integer(String name, int dflt) {
    String v = string(name);
    if (v == null) {
      return dflt;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new BadRequest("Error decoding int for '" + name + "': strconv.Atoi: parsing \"" + v
          + "\": invalid syntax");
    }
  }

  long unsigned(String name) {
    String v = string(name);
    if (v == null) {
      return 0;
    }
    try {
      return Long.parseUnsignedLong(v);
    } catch (NumberFormatException e) {
      throw new BadRequest("Error decoding uint64 for '" + name + "': strconv.ParseUint: parsing \"" + v
          + "\": invalid syntax");
    }
  }

  /** Go's strconv.ParseBool. */
  boolean bool(String name) {
    String v = string(name);
    if (v == null) {
      return false;
    }
    return switch (v) {
      case "1", "t", "T", "TRUE", "true", "True" -> true;
      case "0", "f", "F", "FALSE", "false", "False" -> false;
      default -> throw new BadRequest("Error decoding boolean for '" + name + "': strconv.ParseBool: parsing \""
          + v + "\": invalid syntax");
    };
  }
}
