package io.tern.common.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Reads one config source (a file, an included file or an environment value) into a {@link ConfigMap}.
 *
 * <p>A recursive-descent reader working on characters. What it accepts and rejects follows nats-server's
 * lexer closely, including its odd corners, because nats-server's behaviour is the specification and
 * a file that one server accepts should not be refused by the other. The corners are called out where
 * they are handled.
 */
final class ConfigReader {

  private static final int EOF = -1;
  /** Bounds include chains and environment-variable indirection, which nats-server lets recurse forever. */
  private static final int MAX_NESTING = 32;
  /** nats-server takes an unquoted {@code $2a$...} value as a bcrypt hash rather than a variable. */
  private static final String BCRYPT_PREFIX = "2a$";
  private static final DateTimeFormatter ZULU =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);

  /** Marks a number whose suffix nats-server lexes but never assigns (e.g. {@code 1Mbb}). */
  private static final Object DROPPED = new Object();

  /**
   * nats-server ends parsing silently, without error, when the input stops right after an opening
   * quote; whatever was complete at that point is the result.
   */
  private static final class QuietEof extends RuntimeException {
    private static final long serialVersionUID = 1L;

    QuietEof() { super(null, null, false, false); }
  }

  private final String src;
  private final Path file;
  private final Path baseDir;
  private final Function<String, String> environment;
  private final int nesting;
  /** Enclosing blocks, innermost first: the scopes a {@code $variable} is looked up in. */
  private final Deque<ConfigMap> scopes = new ArrayDeque<>();

  private int pos;
  private int line = 1;
  private int lineStart;

  ConfigReader(String src, Path file, Path baseDir, Function<String, String> environment, int nesting) {
    this.src = src;
    this.file = file;
    this.baseDir = baseDir == null ? Path.of("") : baseDir;
    this.environment = environment;
    this.nesting = nesting;
  }

  static ConfigMap readFile(Path file, Function<String, String> environment, int nesting) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(null, "error opening config file: " + file + ": " + describe(e), e);
    }
    Path dir = file.toAbsolutePath().getParent();
    return new ConfigReader(text, file, dir, environment, nesting).read();
  }

  ConfigMap read() {
    ConfigMap root = new ConfigMap();
    scopes.push(root);
    try {
      readTop(root);
    } catch (QuietEof e) {
      // nats-server's lexer ends the document here without complaint.
    }
    return root;
  }

  // ---------------------------------------------------------------------------------------------
  // Top level

  private void readTop(ConfigMap root) {
    while (true) {
      int c = peek();
      if (c == EOF) {
        return;
      }
      // A '{' where a top-level key may start is skipped, so a JSON-style outer brace pair works.
      if (isSpace(c) || c == '{') {
        advance();
      } else if (c == '#' || (c == '/' && peekAt(1) == '/')) {
        skipComment();
      } else if (c == '/') {
        throw error(position(), "unexpected '/' (comments start with '#' or '//')");
      } else {
        readEntry(root, true);
        readTopValueEnd();
      }
    }
  }

  private void readTopValueEnd() {
    while (true) {
      int c = peek();
      if (c == '#' || (c == '/' && peekAt(1) == '/')) {
        skipComment();
        return;
      }
      // nats-server skips a lone '/' after a value like blank space.
      if (c == ' ' || c == '\t' || c == '/') {
        advance();
        continue;
      }
      if (c == EOF) {
        return;
      }
      // A '}' ends a top-level value too: the other half of the optional outer brace pair.
      if (isNewline(c) || c == ';' || c == ',' || c == '}') {
        advance();
        return;
      }
      throw error(position(), "expected a top-level value to end with a new line, comment or EOF, but got "
          + describeChar(c));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Keys and entries

  /** Reads {@code key [sep] value} or {@code include path} into {@code target}. */
  private void readEntry(ConfigMap target, boolean topLevel) {
    ConfigPosition keyPosition = position();
    int c = peek();
    if (c == '=' || c == ':') {
      throw error(keyPosition, "unexpected key separator '" + (char) c + "'");
    }
    String key;
    if (c == '"' || c == '\'') {
      key = readQuotedKey(topLevel);
    } else {
      int start = pos;
      advance(); // the first character belongs to the key whatever it is
      while (true) {
        int k = peek();
        if (k == EOF) {
          if (!topLevel) {
            throw error(position(), "unexpected EOF processing map key");
          }
          break;
        }
        if (isSpace(k) || k == '=' || k == ':') {
          break;
        }
        advance();
      }
      key = src.substring(start, pos);
      // "include" is a keyword only when followed by blank space, and in any letter case.
      if (isSpace(peek()) && key.toLowerCase(Locale.ROOT).equals("include")) {
        readInclude(target, keyPosition);
        return;
      }
    }
    while (isSpace(peek())) {
      advance();
    }
    boolean separated = false;
    if (peek() == '=' || peek() == ':') {
      advance();
      separated = true;
    }
    if (topLevel) {
      if (!separated && peek() == EOF) {
        return; // nats-server keeps a trailing key without a value out of the result
      }
    } else {
      while (isSpace(peek())) {
        advance();
      }
      if (peek() == ',') {
        throw error(position(), "unexpected map value terminator ','");
      }
      if (peek() == '}') {
        throw error(keyPosition, "key \"" + key + "\" has no value");
      }
    }
    ConfigPosition valuePosition = position();
    Object value = readValue();
    if (value == DROPPED) {
      if (!topLevel) {
        throw error(valuePosition, "invalid size suffix for key \"" + key + "\"");
      }
      return;
    }
    target.putParsed(key, value, keyPosition, false);
  }

  private String readQuotedKey(boolean topLevel) {
    int quote = advance();
    int start = pos;
    while (true) {
      int c = peek();
      if (c == EOF) {
        if (topLevel && pos == start) {
          throw new QuietEof();
        }
        throw error(position(), "unexpected EOF in quoted key");
      }
      if (c == quote) {
        String key = src.substring(start, pos);
        advance();
        return key;
      }
      advance();
    }
  }

  private void readInclude(ConfigMap target, ConfigPosition includePosition) {
    while (peek() == ' ' || peek() == '\t') {
      advance();
    }
    int c = peek();
    String path;
    if (c == '"' || c == '\'') {
      int quote = advance();
      int start = pos;
      while (peek() != quote) {
        if (peek() == EOF) {
          throw error(position(), "unexpected EOF in quoted include");
        }
        advance();
      }
      path = src.substring(start, pos);
      advance();
    } else if (c == '[' || c == '{' || c == '(' || c == '-' || c == '\\' || isDigit(c) || isNewline(c)) {
      throw error(position(), "expected include value but found " + describeChar(c));
    } else {
      int start = pos;
      while (true) {
        int r = peek();
        if (isNewline(r) || r == EOF || r == ';' || r == '}' || r == ' ' || r == '\t') {
          path = src.substring(start, pos);
          break;
        }
        if (r == '\'') {
          path = src.substring(start, pos);
          advance();
          break;
        }
        advance();
      }
    }
    if (nesting >= MAX_NESTING) {
      throw error(includePosition, "error parsing include file '" + path + "': includes nested too deeply");
    }
    // Like Go's filepath.Join, which nats-server uses: the path is always taken relative to the
    // including file's directory, even when it starts with '/'.
    String relative = path.replaceFirst("^[/\\\\]+", "");
    Path includeFile = baseDir.resolve(relative).normalize();
    ConfigMap included;
    try {
      included = readFile(includeFile, environment, nesting + 1);
    } catch (ConfigException e) {
      throw new ConfigException(includePosition, "error parsing include file '" + path + "': " + e.getMessage(), e);
    }
    for (var entry : included.entrySet()) {
      target.putParsed(entry.getKey(), entry.getValue(), included.positionOf(entry.getKey()),
          included.isUsedAsVariable(entry.getKey()));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Values

  /** Reads one value; blank space before it is skipped but a new line is an error. */
  private Object readValue() {
    while (peek() == ' ' || peek() == '\t') {
      advance();
    }
    ConfigPosition start = position();
    int c = peek();
    if (c == '[') {
      advance();
      return readArray();
    }
    if (c == '{') {
      advance();
      return readMap();
    }
    if (c == '\'') {
      advance();
      return readSingleQuoted();
    }
    if (c == '"') {
      advance();
      return readDoubleQuoted();
    }
    if (c == '(') {
      advance();
      return readBlock();
    }
    if (c == '-') {
      advance();
      return readNegativeNumber(start);
    }
    if (isDigit(c)) {
      return readNumberOrDateOrString(start);
    }
    if (c == '.') {
      throw error(start, "floats must start with a digit");
    }
    if (isNewline(c)) {
      throw error(start, "expected value but found new line");
    }
    return readBare(start, new StringBuilder(), pos);
  }

  private List<Object> readArray() {
    List<Object> list = new ArrayList<>();
    while (true) {
      // Expecting a value or ']'; new lines and comments may come first.
      int c = peek();
      if (isSpace(c)) {
        advance();
        continue;
      }
      if (c == '#' || (c == '/' && peekAt(1) == '/')) {
        skipComment();
        continue;
      }
      if (c == ',' || c == '/') {
        throw error(position(), "unexpected array value terminator '" + (char) c + "'");
      }
      if (c == ']') {
        advance();
        return list;
      }
      if (c == EOF) {
        throw error(position(), "unexpected EOF processing array");
      }
      Object value = readValue();
      if (value != DROPPED) {
        list.add(value);
      }
      // After a value: ',' or a new line separates, ']' ends.
      while (true) {
        int e = peek();
        if (e == ' ' || e == '\t') {
          advance();
        } else if (e == '#' || (e == '/' && peekAt(1) == '/')) {
          skipComment();
        } else if (e == ',' || isNewline(e) || e == '/') { // nats-server takes a lone '/' as a separator
          advance();
          break;
        } else if (e == ']') {
          advance();
          return list;
        } else {
          throw error(position(), "expected an array value terminator ',' or an array terminator ']', but got "
              + describeChar(e));
        }
      }
    }
  }

  private ConfigMap readMap() {
    ConfigMap map = new ConfigMap();
    scopes.push(map);
    while (true) {
      int c = peek();
      if (c == '=' || c == ':') {
        throw error(position(), "unexpected key separator '" + (char) c + "'");
      }
      if (c == ']') {
        throw error(position(), "unexpected array end ']' processing map");
      }
      if (isSpace(c)) {
        advance();
        continue;
      }
      if (c == '}') {
        advance();
        scopes.pop();
        return map;
      }
      if (c == '#' || (c == '/' && peekAt(1) == '/')) {
        skipComment();
        continue;
      }
      if (c == EOF) {
        throw error(position(), "unexpected EOF processing map");
      }
      if (c == '/') {
        advance(); // nats-server drops a lone '/' in front of a map key
      }
      readEntry(map, false);
      boolean next = false;
      while (!next) {
        int e = peek();
        if (e == ' ' || e == '\t') {
          advance();
        } else if (e == '#' || (e == '/' && peekAt(1) == '/')) {
          skipComment();
        } else if (e == ';' || e == ',' || isNewline(e) || e == '/') { // a lone '/' separates, as in nats-server
          advance();
          next = true;
        } else if (e == '}') {
          advance();
          scopes.pop();
          return map;
        } else if (e == EOF) {
          throw error(position(), "unexpected EOF processing map");
        } else {
          throw error(position(), "expected a map value terminator ',' or a map terminator '}', but got "
              + describeChar(e));
        }
      }
    }
  }

  /** Single quotes: no escapes at all, up to the next {@code '}. */
  private String readSingleQuoted() {
    int start = pos;
    while (true) {
      int c = peek();
      if (c == EOF) {
        if (pos == start) {
          throw new QuietEof();
        }
        throw error(position(), "unexpected EOF in quoted string");
      }
      if (c == '\'') {
        String value = src.substring(start, pos);
        advance();
        return value;
      }
      advance();
    }
  }

  /** Double quotes: escapes {@code \t \n \r \" \\ \xHH}; may span lines. */
  private String readDoubleQuoted() {
    StringBuilder sb = new StringBuilder();
    int segmentStart = pos;
    while (true) {
      int c = peek();
      if (c == EOF) {
        if (pos == segmentStart) {
          throw new QuietEof();
        }
        throw error(position(), "unexpected EOF in quoted string");
      }
      if (c == '"') {
        sb.append(src, segmentStart, pos);
        advance();
        return sb.toString();
      }
      if (c == '\\') {
        sb.append(src, segmentStart, pos);
        advance();
        readEscape(sb);
        segmentStart = pos;
        continue;
      }
      advance();
    }
  }

  /** Reads the character(s) after a backslash. */
  private void readEscape(StringBuilder sb) {
    ConfigPosition at = position();
    int c = advance();
    switch (c) {
      case 't' -> sb.append('\t');
      case 'n' -> sb.append('\n');
      case 'r' -> sb.append('\r');
      case '"' -> sb.append('"');
      case '\\' -> sb.append('\\');
      case 'x' -> {
        int h1 = advance();
        int h2 = isNewline(h1) ? h1 : advance();
        if (isNewline(h1) || isNewline(h2)) {
          throw error(at, "expected two hexadecimal digits after '\\x', but hit end of line");
        }
        int hi = hexValue(h1);
        int lo = hexValue(h2);
        if (hi < 0 || lo < 0) {
          throw error(at, "expected two hexadecimal digits after '\\x', but got '"
              + charText(h1) + charText(h2) + "'");
        }
        // Like Go, the byte is appended as is; a lone byte >= 0x80 is not valid UTF-8 there and
        // becomes U+FFFD when read as text, which is what we store.
        int b = hi * 16 + lo;
        sb.append(b < 0x80 ? (char) b : '\ufffd');
      }
      default -> throw error(at, "invalid escape character " + describeChar(c)
          + "; only \\xXX, \\t, \\n, \\r, \\\", \\\\ are allowed");
    }
  }

  /**
   * An unquoted string: up to a new line, blank space, {@code ; , ] }} or EOF (all left unread), or a
   * {@code '} (consumed). Without escapes it may instead be a boolean or a {@code $variable}.
   *
   * @param sb text already taken (a number-like prefix), {@code from} where untaken text starts
   */
  private Object readBare(ConfigPosition start, StringBuilder sb, int from) {
    boolean escaped = false;
    int segmentStart = from;
    int tokenStart = from - sb.length();
    while (true) {
      int c = peek();
      if (c == '\\') {
        sb.append(src, segmentStart, pos);
        advance();
        readEscape(sb);
        segmentStart = pos;
        escaped = true;
        continue;
      }
      if (c == '\'') {
        sb.append(src, segmentStart, pos);
        advance();
        return sb.toString(); // a quote-terminated word is always a plain string in nats-server
      }
      if (isNewline(c) || c == EOF || c == ';' || c == ',' || c == ']' || c == '}' || c == ' ' || c == '\t') {
        sb.append(src, segmentStart, pos);
        break;
      }
      advance();
    }
    String text = sb.toString();
    if (escaped) {
      return text;
    }
    switch (text.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on":
        return Boolean.TRUE;
      case "false", "no", "off":
        return Boolean.FALSE;
      default:
        break;
    }
    if (tokenStart < src.length() && src.charAt(tokenStart) == '$') {
      return resolveVariable(start, text.substring(1));
    }
    return text;
  }

  /** {@code (} ... a line holding only {@code )}: the raw text in between, nats-server's block string. */
  private String readBlock() {
    int start = pos;
    int searchFrom = pos;
    while (true) {
      int close = src.indexOf(')', searchFrom);
      if (close < 0) {
        advanceTo(src.length());
        throw error(position(), "unexpected EOF processing block");
      }
      searchFrom = close + 1;
      if (close - 1 >= start && src.charAt(close - 1) == '\n') {
        if (close + 1 == src.length()) {
          // At EOF nats-server keeps the closing line in the value.
          advanceTo(src.length());
          return src.substring(start);
        }
        if (src.charAt(close + 1) == '\n') {
          String value = src.substring(start, close);
          advanceTo(close + 1);
          return value;
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Numbers, dates, and words that start like numbers

  private Object readNegativeNumber(ConfigPosition start) {
    int tokenStart = pos - 1;
    int c = peek();
    if (!isDigit(c)) {
      if (c == '.') {
        throw error(position(), "floats must start with a digit, not '.'");
      }
      throw error(position(), "expected a digit but got " + describeChar(c));
    }
    advance();
    while (true) {
      c = peek();
      if (isDigit(c)) {
        advance();
      } else if (c == '.') {
        advance();
        return readFraction(start, tokenStart);
      } else if (isSizeSuffix(c)) {
        advance();
        return readSizeSuffix(start, tokenStart);
      } else {
        return toInteger(start, src.substring(tokenStart, pos));
      }
    }
  }

  private Object readNumberOrDateOrString(ConfigPosition start) {
    int tokenStart = pos;
    advance(); // first digit
    while (true) {
      int c = peek();
      if (c == '-') {
        advance();
        if (pos - tokenStart != 5) {
          throw error(start, "all ISO8601 dates must be in full Zulu form");
        }
        return readDateAfterYear(start, tokenStart);
      } else if (isDigit(c)) {
        advance();
      } else if (c == '.') {
        advance();
        return readFraction(start, tokenStart);
      } else if (isSizeSuffix(c)) {
        advance();
        return readSizeSuffix(start, tokenStart);
      } else if (isNewline(c) || c == EOF || c == '}' || c == ';' || c == ',' || c == ' ' || c == '\t') {
        return toInteger(start, src.substring(tokenStart, pos));
      } else {
        // Any other character, even ']' or a quote, turns the token into an unquoted string and is
        // part of it: nats-server reads "[1, 2]" as the integer 1 and the string "2]".
        advance();
        return readBare(start, new StringBuilder(src.substring(tokenStart, pos)), pos);
      }
    }
  }

  /** After {@code digits.}: a float, or an IP address / host:port string such as {@code 127.0.0.1:4222}. */
  private Object readFraction(ConfigPosition start, int tokenStart) {
    int c = peek();
    if (!isDigit(c)) {
      throw error(position(), "floats must have a digit after the '.', but got " + describeChar(c));
    }
    while (isDigit(peek())) {
      advance();
    }
    if (peek() == '.') {
      advance();
      while (isDigit(peek()) || peek() == '.' || peek() == ':' || peek() == '-') {
        advance();
      }
      return src.substring(tokenStart, pos);
    }
    String text = src.substring(tokenStart, pos);
    if (!text.chars().allMatch(ch -> ch == '-' || ch == '.' || (ch >= '0' && ch <= '9'))) {
      throw error(start, "expected float, but got '" + text + "'");
    }
    return Double.parseDouble(text);
  }

  /** After {@code digits} and one of {@code kmgtpe}: more {@code b}/{@code i} letters may follow. */
  private Object readSizeSuffix(ConfigPosition start, int tokenStart) {
    while (true) {
      int c = peek();
      if (c == 'b' || c == 'B' || c == 'i' || c == 'I') {
        advance();
      } else {
        break;
      }
    }
    int c = peek();
    if (isNewline(c) || c == EOF || c == '}' || c == ';' || c == ',' || c == ' ' || c == '\t' || isDigit(c)) {
      return toInteger(start, src.substring(tokenStart, pos));
    }
    // "10ms", "1k]" and the like are strings.
    return readBare(start, new StringBuilder(src.substring(tokenStart, pos)), pos);
  }

  private Object toInteger(ConfigPosition start, String text) {
    int digitsEnd = 0;
    while (digitsEnd < text.length() && (isDigit(text.charAt(digitsEnd)) || text.charAt(digitsEnd) == '-')) {
      digitsEnd++;
    }
    String digits = text.substring(0, digitsEnd);
    long number;
    if (!digits.matches("-?[0-9]+")) {
      throw error(start, "expected integer, but got '" + text + "'");
    }
    try {
      number = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw error(start, "integer '" + text + "' is out of the range");
    }
    long multiplier;
    switch (text.substring(digitsEnd).toLowerCase(Locale.ROOT)) {
      case "" -> multiplier = 1L;
      case "k" -> multiplier = 1000L;
      case "kb", "ki", "kib" -> multiplier = 1L << 10;
      case "m" -> multiplier = 1000L * 1000;
      case "mb", "mi", "mib" -> multiplier = 1L << 20;
      case "g" -> multiplier = 1000L * 1000 * 1000;
      case "gb", "gi", "gib" -> multiplier = 1L << 30;
      case "t" -> multiplier = 1000L * 1000 * 1000 * 1000;
      case "tb", "ti", "tib" -> multiplier = 1L << 40;
      case "p" -> multiplier = 1000L * 1000 * 1000 * 1000 * 1000;
      case "pb", "pi", "pib" -> multiplier = 1L << 50;
      case "e" -> multiplier = 1000L * 1000 * 1000 * 1000 * 1000 * 1000;
      case "eb", "ei", "eib" -> multiplier = 1L << 60;
      default -> {
        // nats-server lexes e.g. "1Mbb" as a number but then never assigns it.
        return DROPPED;
      }
    }
    // Overflow wraps silently, as int64 multiplication does in nats-server.
    return number * multiplier;
  }

  /** After {@code YYYY-}: exactly {@code MM-DDTHH:MM:SSZ}, giving an {@link java.time.Instant}. */
  private Object readDateAfterYear(ConfigPosition start, int tokenStart) {
    String shape = "00-00T00:00:00Z";
    for (int i = 0; i < shape.length(); i++) {
      char expected = shape.charAt(i);
      int c = peek();
      if (expected == '0' ? !isDigit(c) : c != expected) {
        throw error(position(), "expected " + (expected == '0' ? "digit" : "'" + expected + "'")
            + " in ISO8601 datetime, but found " + describeChar(c));
      }
      advance();
    }
    String text = src.substring(tokenStart, pos);
    try {
      return LocalDateTime.parse(text, ZULU).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw error(start, "expected Zulu formatted DateTime, but got '" + text + "'");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Variables

  /**
   * Looks {@code name} up in the enclosing blocks, innermost first, among keys defined so far;
   * then in the environment, whose value is read as a config value.
   */
  private Object resolveVariable(ConfigPosition at, String name) {
    if (name.startsWith(BCRYPT_PREFIX)) {
      return "$" + name;
    }
    for (ConfigMap scope : scopes) {
      if (scope.containsKey(name)) {
        scope.markUsedAsVariable(name);
        return scope.get(name);
      }
    }
    String env = environment.apply(name);
    if (env != null) {
      if (nesting >= MAX_NESTING) {
        throw error(at, "variable reference for '" + name + "' nests too deeply");
      }
      ConfigMap parsed;
      try {
        parsed = new ConfigReader("pk=" + env, null, null, environment, nesting + 1).read();
      } catch (ConfigException e) {
        throw error(at, "variable reference for '" + name + "' could not be parsed: " + e.getMessage());
      }
      if (parsed.containsKey("pk")) {
        return parsed.get("pk");
      }
    }
    throw error(at, "variable reference for '" + name + "' can not be found");
  }

  // ---------------------------------------------------------------------------------------------
  // Characters

  private int peek() {
    return pos < src.length() ? src.charAt(pos) : EOF;
  }

  private int peekAt(int offset) {
    return pos + offset < src.length() ? src.charAt(pos + offset) : EOF;
  }

  /** Consumes and returns one character (EOF at the end, without moving). */
  private int advance() {
    if (pos >= src.length()) {
      return EOF;
    }
    char c = src.charAt(pos++);
    if (c == '\n') {
      line++;
      lineStart = pos;
    }
    return c;
  }

  private void advanceTo(int target) {
    while (pos < target) {
      advance();
    }
  }

  /** A comment runs up to, not including, the end of its line. */
  private void skipComment() {
    while (peek() != EOF && !isNewline(peek())) {
      advance();
    }
  }

  private ConfigPosition position() {
    return new ConfigPosition(file, line, pos - lineStart + 1);
  }

  private ConfigException error(ConfigPosition at, String reason) {
    return new ConfigException(at, reason);
  }

  /** Go's unicode.IsSpace, which nats-server uses between keys and values. */
  private static boolean isSpace(int c) {
    if (c == EOF) {
      return false;
    }
    return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0 || Character.isSpaceChar(c);
  }

  private static boolean isNewline(int c) {
    return c == '\n' || c == '\r';
  }

  /** Any Unicode decimal digit, as Go's unicode.IsDigit; only ASCII ones make valid numbers. */
  private static boolean isDigit(int c) {
    return c != EOF && Character.isDigit(c);
  }

  private static boolean isSizeSuffix(int c) {
    return "kKmMgGtTpPeE".indexOf(c) >= 0 && c != EOF;
  }

  private static int hexValue(int c) {
    return c == EOF ? -1 : Character.digit(c, 16) >= 0 && c < 128 ? Character.digit(c, 16) : -1;
  }

  private static String charText(int c) {
    return c == EOF ? "" : String.valueOf((char) c);
  }

  private static String describeChar(int c) {
    if (c == EOF) {
      return "EOF";
    }
    if (c == '\n') {
      return "new line";
    }
    if (c == '\r') {
      return "'\\r'";
    }
    return "'" + (char) c + "'";
  }

  private static String describe(Exception e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
  }
}
