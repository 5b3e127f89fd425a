package io.tern.gateway;

/** nats-server's closed-connection reasons ({@code /connz} {@code reason}) for the errors Tern sends. */
final class CloseReasons {
  private CloseReasons() {
  }

  static String forError(String err) {
    return switch (err) {
      case "Authentication Timeout" -> "Authentication Timeout";
      case "Authorization Violation" -> "Authentication Failure";
      case "Stale Connection" -> "Stale Connection";
      case "maximum connections exceeded" -> "Maximum Connections Exceeded";
      case "Maximum Payload Violation" -> "Maximum Payload Exceeded";
      case "invalid client protocol" -> "Bad Client Protocol Version";
      case "Unknown Protocol Operation", "maximum control line exceeded" -> "Parse Error";
      default -> "Protocol Violation";
    };
  }
}
