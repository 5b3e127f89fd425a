package io.tern.common.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Zero-copy state-machine parser of the NATS client protocol (client to server), one instance per
 * connection, not thread-safe.
 *
 * <p>Feed the connection's bytes to {@link #parse} in whatever pieces they arrive. An operation whose
 * control line and payload lie inside one {@code parse} call is reported with ranges of the
 * caller's array, without copying or allocating. Only an operation that spans calls is gathered in
 * a scratch buffer owned by the parser (control line first, then payload), whose ranges are handed
 * out instead. {@code max_control_line} and {@code max_payload} are checked before anything is
 * buffered, so a client cannot make the parser hold more than those limits.
 *
 * <p>Behaviour follows nats-server 2.9's parser, including its quirks: op names are
 * case-insensitive; a line may end in a bare LF; anything between {@code PING}, {@code PONG} or
 * {@code +OK} and the line end is ignored; {@code CONNECT} and {@code INFO} need no blank before
 * their argument; the control-line limit counts only the argument text (after the op name and its
 * blanks, without CRLF); a size must be 1 to 9 decimal digits; the payload must be followed by
 * exactly CRLF. After {@link NatsProtocolHandler#onError} (or {@link #stop()}) all further input is
 * ignored.
 */
public final class NatsParser {

  /** A scratch buffer grown beyond this is dropped after its operation, so idle connections stay small. */
  static final int RETAINED_SCRATCH_BYTES = 64 * 1024;

  private static final byte[] NO_BYTES = new byte[0];
  /** nats-server's parseSize accepts at most 9 digits ("999M"); longer sizes are invalid. */
  private static final int MAX_SIZE_DIGITS = 9;

  // Parser states: op name letters, blanks after the op, argument/line, payload, end.
  private static final int OP_START = 0;
  private static final int OP_P = 1;
  private static final int OP_PU = 2;
  private static final int OP_PUB = 3;
  private static final int OP_PUB_SPC = 4;
  private static final int OP_PI = 5;
  private static final int OP_PIN = 6;
  private static final int OP_PO = 7;
  private static final int OP_PON = 8;
  private static final int OP_H = 9;
  private static final int OP_HP = 10;
  private static final int OP_HPU = 11;
  private static final int OP_HPUB = 12;
  private static final int OP_HPUB_SPC = 13;
  private static final int OP_S = 14;
  private static final int OP_SU = 15;
  private static final int OP_SUB = 16;
  private static final int OP_SUB_SPC = 17;
  private static final int OP_U = 18;
  private static final int OP_UN = 19;
  private static final int OP_UNS = 20;
  private static final int OP_UNSU = 21;
  private static final int OP_UNSUB = 22;
  private static final int OP_UNSUB_SPC = 23;
  private static final int OP_C = 24;
  private static final int OP_CO = 25;
  private static final int OP_CON = 26;
  private static final int OP_CONN = 27;
  private static final int OP_CONNE = 28;
  private static final int OP_CONNEC = 29;
  private static final int OP_CONNECT_SPC = 30;
  private static final int OP_I = 31;
  private static final int OP_IN = 32;
  private static final int OP_INF = 33;
  private static final int OP_INFO_SPC = 34;
  private static final int OP_PLUS = 35;
  private static final int OP_PLUS_O = 36;
  private static final int OP_MINUS = 37;
  private static final int OP_MINUS_E = 38;
  private static final int OP_MINUS_ER = 39;
  private static final int OP_MINUS_ERR = 40;
  private static final int OP_MINUS_ERR_SPC = 41;
  /** Discarding bytes up to LF after PING, PONG or +OK. */
  private static final int SKIP_LINE = 42;
  /** Part of an argument is in scratch; looking for its LF. */
  private static final int ARG_PENDING = 43;
  private static final int MSG_PAYLOAD = 44;
  private static final int MSG_END_R = 45;
  private static final int MSG_END_N = 46;
  private static final int DEAD = 47;

  // Which op an argument or skipped line belongs to.
  private static final int ARG_PUB = 1;
  private static final int ARG_HPUB = 2;
  private static final int ARG_SUB = 3;
  private static final int ARG_UNSUB = 4;
  private static final int ARG_CONNECT = 5;
  private static final int ARG_INFO = 6;
  private static final int ARG_ERR = 7;
  private static final int SKIP_PING = 8;
  private static final int SKIP_PONG = 9;
  private static final int SKIP_OK = 10;

  private static final int MAX_TOKENS = 4;

  /** Reads eight bytes of an array as one little-endian long (the first byte lowest). */
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final NatsProtocolHandler handler;
  private int maxControlLine;
  private int maxPayload;

  private int state = OP_START;
  private int argOp;
  private boolean failed;

  private byte[] scratch = NO_BYTES;
  private int scratchLen;

  // The PUB/HPUB being parsed; subject and reply offsets are relative to the control line start.
  private int subjRel;
  private int subjLen;
  private int replyRel;
  private int replyLen;
  private int hdrLen;
  private int msgSize;
  /** Where the payload starts in scratch (right after the control line). */
  private int msgBase;

  // Argument tokens of the current line, absolute offsets; reused to avoid allocation.
  private final int[] tokStart = new int[MAX_TOKENS + 1];
  private final int[] tokEnd = new int[MAX_TOKENS + 1];

  /**
   * @param handler receives every operation and the first error
   * @param maxControlLine longest argument text accepted on a control line, in bytes (positive)
   * @param maxPayload largest PUB/HPUB total size accepted; negative means no limit
   */
  public NatsParser(NatsProtocolHandler handler, int maxControlLine, int maxPayload) {
    this.handler = Objects.requireNonNull(handler, "handler");
    setMaxControlLine(maxControlLine);
    setMaxPayload(maxPayload);
  }

  /** Changes the control-line limit, e.g. after CONNECT; applies to lines not yet complete. */
  public void setMaxControlLine(int maxControlLine) {
    if (maxControlLine <= 0) {
      throw new IllegalArgumentException("maxControlLine must be positive: " + maxControlLine);
    }
    this.maxControlLine = maxControlLine;
  }

  /** Changes the payload limit (negative: none), e.g. once the account's limit is known. */
  public void setMaxPayload(int maxPayload) {
    this.maxPayload = maxPayload;
  }

  /** Whether {@link NatsProtocolHandler#onError} has been called; all input is ignored since. */
  public boolean failed() {
    return failed;
  }

  /**
   * Makes the parser ignore all further input, including the rest of the buffer being parsed when
   * called from a callback (e.g. after the handler closed the connection on an auth failure).
   */
  public void stop() {
    state = DEAD;
  }

  /** Feeds {@code buf[off, off+len)}; callbacks run before this returns. */
  public void parse(byte[] buf, int off, int len) {
    Objects.checkFromIndexSize(off, len, buf.length);
    final int end = off + len;
    int i = off;
    // Every failure and stop() sets DEAD, which ends the loop.
    while (i < end && state != DEAD) {
      final byte b = buf[i];
      switch (state) {
        case OP_START:
          if (end - i > 5) {
            final int next = fastPub(buf, b, i, end);
            if (next >= 0) {
              i = next;
              break;
            }
          }
          switch (b) {
            case 'P', 'p' -> state = OP_P;
            case 'H', 'h' -> state = OP_H;
            case 'S', 's' -> state = OP_S;
            case 'U', 'u' -> state = OP_U;
            case 'C', 'c' -> state = OP_C;
            case 'I', 'i' -> state = OP_I;
            case '+' -> state = OP_PLUS;
            case '-' -> state = OP_MINUS;
            default -> fail(NatsParseError.UNKNOWN_OP);
          }
          i++;
          break;
        case OP_P:
          switch (b) {
            case 'U', 'u' -> state = OP_PU;
            case 'I', 'i' -> state = OP_PI;
            case 'O', 'o' -> state = OP_PO;
            default -> fail(NatsParseError.UNKNOWN_OP);
          }
          i++;
          break;
        case OP_PU:
          i = expectLetter(b, 'b', OP_PUB, i);
          break;
        case OP_PUB:
          i = expectBlank(b, OP_PUB_SPC, i);
          break;
        case OP_PUB_SPC:
          if (isBlank(b)) {
            i++;
          } else {
            argOp = ARG_PUB;
            i = startArg(buf, i, end);
          }
          break;
        case OP_PI:
          i = expectLetter(b, 'n', OP_PIN, i);
          break;
        case OP_PIN:
          i = expectLetterThenSkip(b, 'g', SKIP_PING, i);
          break;
        case OP_PO:
          i = expectLetter(b, 'n', OP_PON, i);
          break;
        case OP_PON:
          i = expectLetterThenSkip(b, 'g', SKIP_PONG, i);
          break;
        case OP_H:
          i = expectLetter(b, 'p', OP_HP, i);
          break;
        case OP_HP:
          i = expectLetter(b, 'u', OP_HPU, i);
          break;
        case OP_HPU:
          i = expectLetter(b, 'b', OP_HPUB, i);
          break;
        case OP_HPUB:
          i = expectBlank(b, OP_HPUB_SPC, i);
          break;
        case OP_HPUB_SPC:
          if (isBlank(b)) {
            i++;
          } else {
            argOp = ARG_HPUB;
            i = startArg(buf, i, end);
          }
          break;
        case OP_S:
          i = expectLetter(b, 'u', OP_SU, i);
          break;
        case OP_SU:
          i = expectLetter(b, 'b', OP_SUB, i);
          break;
        case OP_SUB:
          i = expectBlank(b, OP_SUB_SPC, i);
          break;
        case OP_SUB_SPC:
          if (isBlank(b)) {
            i++;
          } else {
            argOp = ARG_SUB;
            i = startArg(buf, i, end);
          }
          break;
        case OP_U:
          i = expectLetter(b, 'n', OP_UN, i);
          break;
        case OP_UN:
          i = expectLetter(b, 's', OP_UNS, i);
          break;
        case OP_UNS:
          i = expectLetter(b, 'u', OP_UNSU, i);
          break;
        case OP_UNSU:
          i = expectLetter(b, 'b', OP_UNSUB, i);
          break;
        case OP_UNSUB:
          i = expectBlank(b, OP_UNSUB_SPC, i);
          break;
        case OP_UNSUB_SPC:
          if (isBlank(b)) {
            i++;
          } else {
            argOp = ARG_UNSUB;
            i = startArg(buf, i, end);
          }
          break;
        case OP_C:
          i = expectLetter(b, 'o', OP_CO, i);
          break;
        case OP_CO:
          i = expectLetter(b, 'n', OP_CON, i);
          break;
        case OP_CON:
          i = expectLetter(b, 'n', OP_CONN, i);
          break;
        case OP_CONN:
          i = expectLetter(b, 'e', OP_CONNE, i);
          break;
        case OP_CONNE:
          i = expectLetter(b, 'c', OP_CONNEC, i);
          break;
        case OP_CONNEC:
          i = expectLetter(b, 't', OP_CONNECT_SPC, i);
          break;
        case OP_CONNECT_SPC:
          // nats-server needs no blank after CONNECT: "CONNECT{}" is accepted.
          if (isBlank(b)) {
            i++;
          } else {
            argOp = ARG_CONNECT;
            i = startArg(buf, i, end);
          }
          break;
        case OP_I:
          i = expectLetter(b, 'n', OP_IN, i);
          break;
        case OP_IN:
          i = expectLetter(b, 'f', OP_INF, i);
          break;
        case OP_INF:
          i = expectLetter(b, 'o', OP_INFO_SPC, i);
          break;
        case OP_INFO_SPC:
          if (isBlank(b)) {
            i++;
          } else {
            argOp = ARG_INFO;
            i = startArg(buf, i, end);
          }
          break;
        case OP_PLUS:
          i = expectLetter(b, 'o', OP_PLUS_O, i);
          break;
        case OP_PLUS_O:
          i = expectLetterThenSkip(b, 'k', SKIP_OK, i);
          break;
        case OP_MINUS:
          i = expectLetter(b, 'e', OP_MINUS_E, i);
          break;
        case OP_MINUS_E:
          i = expectLetter(b, 'r', OP_MINUS_ER, i);
          break;
        case OP_MINUS_ER:
          i = expectLetter(b, 'r', OP_MINUS_ERR, i);
          break;
        case OP_MINUS_ERR:
          i = expectBlank(b, OP_MINUS_ERR_SPC, i);
          break;
        case OP_MINUS_ERR_SPC:
          if (isBlank(b)) {
            i++;
          } else {
            argOp = ARG_ERR;
            i = startArg(buf, i, end);
          }
          break;
        case SKIP_LINE:
          i = skipLine(buf, i, end);
          break;
        case ARG_PENDING:
          i = continueArg(buf, i, end);
          break;
        case MSG_PAYLOAD:
          i = copyPayload(buf, i, end);
          break;
        case MSG_END_R:
          if (b != '\r') {
            fail(NatsParseError.BAD_PAYLOAD_TERMINATOR);
            return;
          }
          state = MSG_END_N;
          i++;
          break;
        case MSG_END_N:
          if (b != '\n') {
            fail(NatsParseError.BAD_PAYLOAD_TERMINATOR);
            return;
          }
          state = OP_START;
          i++;
          handler.onPub(scratch, subjRel, subjLen, replyLen == 0 ? 0 : replyRel, replyLen,
              hdrLen, msgBase, msgSize);
          releaseScratch();
          break;
        default:
          throw new IllegalStateException("parser state " + state);
      }
    }
  }

  // ---- the common case: a whole PUB or HPUB inside the read ----

  /**
   * Handles a {@code PUB}/{@code HPUB} at {@code i} whose control line and payload are wholly in
   * {@code buf[i, end)} and ordinary (blank-separated tokens, valid sizes, within the limits) in one
   * pass over the line, without the per-byte state switch. Returns where parsing continues, or -1
   * (having called nothing and changed nothing) for anything else, which the state machine then
   * parses from scratch with all of nats-server's rules and errors.
   */
  private int fastPub(byte[] buf, byte b, int i, int end) {
    final boolean headers;
    int a;
    if ((b | 0x20) == 'p') {
      if ((buf[i + 1] | 0x20) != 'u' || (buf[i + 2] | 0x20) != 'b' || !isBlank(buf[i + 3])) {
        return -1;
      }
      headers = false;
      a = i + 4;
    } else if ((b | 0x20) == 'h') {
      if ((buf[i + 1] | 0x20) != 'p' || (buf[i + 2] | 0x20) != 'u' || (buf[i + 3] | 0x20) != 'b'
          || !isBlank(buf[i + 4])) {
        return -1;
      }
      headers = true;
      a = i + 5;
    } else {
      return -1;
    }
    while (a < end && isBlank(buf[a])) {
      a++;
    }
    final int argStart = a;
    // The LF must come within the control-line limit (plus CR and LF themselves).
    final int scanEnd = (int) Math.min(end, (long) argStart + maxControlLine + 2);
    int n = 0;
    int tok = -1;
    int lineEnd = -1;
    int j = argStart;
    for (; j < scanEnd; j++) {
      // Token bytes are skipped eight at a time: find the first byte <= 0x20 in a word.
      if (j + Long.BYTES <= scanEnd) {
        final long v = (long) LONGS.get(buf, j);
        final long low = (v - 0x2121212121212121L) & ~v & 0x8080808080808080L;
        if (low == 0) {
          if (tok < 0) {
            tok = j;
          }
          j += Long.BYTES - 1;
          continue;
        }
        final int k = j + (Long.numberOfTrailingZeros(low) >>> 3);
        if (k > j) {
          if (tok < 0) {
            tok = j;
          }
          j = k;
        }
      } else if ((buf[j] & 0xff) > ' ') {
        if (tok < 0) {
          tok = j;
        }
        continue;
      }
      final int c = buf[j] & 0xff;
      if (c == ' ' || c == '\t') {
        if (tok >= 0) {
          if (n == MAX_TOKENS) {
            return -1;
          }
          tokStart[n] = tok;
          tokEnd[n++] = j;
          tok = -1;
        }
      } else if (c == '\r' && j + 1 < scanEnd && buf[j + 1] == '\n') {
        lineEnd = j;
        j++;
        break;
      } else if (c == '\n') {
        lineEnd = j;
        break;
      } else {
        // A control byte inside a token, or a CR without LF: the general path decides.
        return -1;
      }
    }
    if (lineEnd < 0 || lineEnd == argStart || lineEnd - argStart > maxControlLine) {
      return -1;
    }
    if (tok >= 0) {
      if (n == MAX_TOKENS) {
        return -1;
      }
      tokStart[n] = tok;
      tokEnd[n++] = lineEnd;
    }
    final int next = j + 1;
    final int sizeTok = n - 1;
    final int hdr;
    final boolean hasReply;
    if (headers) {
      if (n != 3 && n != 4) {
        return -1;
      }
      hdr = parseSize(buf, tokStart[sizeTok - 1], tokEnd[sizeTok - 1]);
      hasReply = n == 4;
    } else {
      if (n != 2 && n != 3) {
        return -1;
      }
      hdr = -1;
      hasReply = n == 3;
    }
    final int size = parseSize(buf, tokStart[sizeTok], tokEnd[sizeTok]);
    if (size < 0 || (headers && (hdr < 0 || hdr > size)) || (maxPayload >= 0 && size > maxPayload)) {
      return -1;
    }
    final int payloadEnd = next + size;
    if (end - next < size + 2 || buf[payloadEnd] != '\r' || buf[payloadEnd + 1] != '\n') {
      return -1;
    }
    handler.onPub(buf, tokStart[0], tokEnd[0] - tokStart[0],
        hasReply ? tokStart[1] : 0, hasReply ? tokEnd[1] - tokStart[1] : 0,
        hdr, next, size);
    return payloadEnd + 2;
  }

  // ---- op names ----

  private int expectLetter(byte b, char lower, int next, int i) {
    if ((b | 0x20) != lower) {
      fail(NatsParseError.UNKNOWN_OP);
      return i;
    }
    state = next;
    return i + 1;
  }

  private int expectLetterThenSkip(byte b, char lower, int skipOp, int i) {
    if ((b | 0x20) != lower) {
      fail(NatsParseError.UNKNOWN_OP);
      return i;
    }
    argOp = skipOp;
    state = SKIP_LINE;
    return i + 1;
  }

  private int expectBlank(byte b, int next, int i) {
    if (!isBlank(b)) {
      fail(NatsParseError.UNKNOWN_OP);
      return i;
    }
    state = next;
    return i + 1;
  }

  private static boolean isBlank(byte b) {
    return b == ' ' || b == '\t';
  }

  /** PING, PONG and +OK: whatever follows the op name up to LF is ignored (as nats-server does). */
  private int skipLine(byte[] buf, int i, int end) {
    for (int j = i; j < end; j++) {
      if (buf[j] == '\n') {
        state = OP_START;
        switch (argOp) {
          case SKIP_PING -> handler.onPing();
          case SKIP_PONG -> handler.onPong();
          default -> handler.onOkOrErr();
        }
        return j + 1;
      }
    }
    return end;
  }

  // ---- control line ----

  /**
   * The argument starts at {@code argStart}. Like nats-server, its first byte is taken as argument
   * text even when it is CR or LF, so the line-end search starts one byte later.
   */
  private int startArg(byte[] buf, int argStart, int end) {
    final int from = argStart + 1;
    // A line whose LF comes later than this cannot fit the limit, even after dropping its CR.
    final long room = (long) maxControlLine + 1;
    final int scanEnd = end - from <= room ? end : (int) (from + room);
    for (int j = from; j < scanEnd; j++) {
      if (buf[j] == '\n') {
        final int lineEnd = j - 1 > argStart && buf[j - 1] == '\r' ? j - 1 : j;
        if (lineEnd - argStart > maxControlLine) {
          return fail(NatsParseError.MAX_CONTROL_LINE, end);
        }
        return lineComplete(buf, argStart, lineEnd, false, buf, j + 1, end);
      }
    }
    if (scanEnd < end) {
      return fail(NatsParseError.MAX_CONTROL_LINE, end);
    }
    final int have = end - argStart;
    final int counted = have >= 2 && buf[end - 1] == '\r' ? have - 1 : have;
    if (counted > maxControlLine) {
      return fail(NatsParseError.MAX_CONTROL_LINE, end);
    }
    scratchLen = 0;
    appendScratch(buf, argStart, have);
    state = ARG_PENDING;
    return end;
  }

  /** More bytes of an argument whose beginning is already in scratch. */
  private int continueArg(byte[] buf, int i, int end) {
    final int pending = scratchLen;
    final long room = (long) maxControlLine + 2 - pending;
    final int scanEnd = end - i <= room ? end : (int) (i + room);
    for (int j = i; j < scanEnd; j++) {
      if (buf[j] == '\n') {
        final int total = pending + (j - i);
        final byte last = j > i ? buf[j - 1] : scratch[pending - 1];
        final int lineLen = total >= 2 && last == '\r' ? total - 1 : total;
        if (lineLen > maxControlLine) {
          return fail(NatsParseError.MAX_CONTROL_LINE, end);
        }
        appendScratch(buf, i, j - i);
        scratchLen = lineLen;
        return lineComplete(scratch, 0, lineLen, true, buf, j + 1, end);
      }
    }
    if (scanEnd < end) {
      return fail(NatsParseError.MAX_CONTROL_LINE, end);
    }
    final int total = pending + (end - i);
    final int counted = buf[end - 1] == '\r' ? total - 1 : total;
    if (counted > maxControlLine) {
      return fail(NatsParseError.MAX_CONTROL_LINE, end);
    }
    appendScratch(buf, i, end - i);
    return end;
  }

  /**
   * Acts on a complete control line {@code line[ls, le)}; {@code inScratch} says whether it was
   * gathered in scratch. Returns where parsing of {@code buf} continues.
   */
  private int lineComplete(byte[] line, int ls, int le, boolean inScratch, byte[] buf, int next,
      int end) {
    switch (argOp) {
      case ARG_PUB:
      case ARG_HPUB:
        return pubLine(line, ls, le, inScratch, buf, next, end);
      case ARG_SUB: {
        final int n = tokenize(line, ls, le, true);
        if (n != 2 && n != 3) {
          return fail(NatsParseError.BAD_SUB_ARGS, end);
        }
        state = OP_START;
        final int sid = n - 1;
        handler.onSub(line, tokStart[0], tokEnd[0] - tokStart[0],
            n == 3 ? tokStart[1] : 0, n == 3 ? tokEnd[1] - tokStart[1] : 0,
            tokStart[sid], tokEnd[sid] - tokStart[sid]);
        break;
      }
      case ARG_UNSUB: {
        final int n = tokenize(line, ls, le, true);
        if (n != 1 && n != 2) {
          return fail(NatsParseError.BAD_UNSUB_ARGS, end);
        }
        state = OP_START;
        // nats-server reads an unparsable max as -1, i.e. "unsubscribe now", without an error.
        final long max = n == 2 ? parseSize(line, tokStart[1], tokEnd[1]) : -1;
        handler.onUnsub(line, tokStart[0], tokEnd[0] - tokStart[0], max);
        break;
      }
      case ARG_CONNECT: {
        int s = ls;
        int e = le;
        while (s < e && isJsonSpace(line[s])) {
          s++;
        }
        while (e > s && isJsonSpace(line[e - 1])) {
          e--;
        }
        state = OP_START;
        handler.onConnect(line, s, e - s);
        break;
      }
      case ARG_INFO:
        state = OP_START;
        handler.onInfo(line, ls, le - ls);
        break;
      default: // ARG_ERR
        return fail(NatsParseError.CLIENT_ERR, end);
    }
    if (inScratch) {
      releaseScratch();
    }
    return next;
  }

  private int pubLine(byte[] line, int ls, int le, boolean inScratch, byte[] buf, int next, int end) {
    final boolean headers = argOp == ARG_HPUB;
    final int n = tokenize(line, ls, le, false);
    final int sizeTok;
    int size;
    int hdr = -1;
    if (headers) {
      if (n != 3 && n != 4) {
        return fail(NatsParseError.BAD_PUB_ARGS, end);
      }
      sizeTok = n - 1;
      hdr = parseSize(line, tokStart[sizeTok - 1], tokEnd[sizeTok - 1]);
      size = parseSize(line, tokStart[sizeTok], tokEnd[sizeTok]);
      if (hdr < 0 || size < 0 || hdr > size) {
        return fail(NatsParseError.BAD_PUB_ARGS, end);
      }
    } else {
      if (n != 2 && n != 3) {
        return fail(NatsParseError.BAD_PUB_ARGS, end);
      }
      sizeTok = n - 1;
      size = parseSize(line, tokStart[sizeTok], tokEnd[sizeTok]);
      if (size < 0) {
        return fail(NatsParseError.BAD_PUB_ARGS, end);
      }
    }
    if (maxPayload >= 0 && size > maxPayload) {
      return fail(NatsParseError.MAX_PAYLOAD, end);
    }
    final boolean hasReply = sizeTok == (headers ? 3 : 2);
    if (!inScratch) {
      final int payloadEnd = next + size;
      if (end - next >= size + 2) {
        if (buf[payloadEnd] != '\r' || buf[payloadEnd + 1] != '\n') {
          return fail(NatsParseError.BAD_PAYLOAD_TERMINATOR, end);
        }
        state = OP_START;
        handler.onPub(buf, tokStart[0], tokEnd[0] - tokStart[0],
            hasReply ? tokStart[1] : 0, hasReply ? tokEnd[1] - tokStart[1] : 0,
            hdr, next, size);
        return payloadEnd + 2;
      }
    }
    // The message spans reads: keep the control line in scratch and gather the payload after it.
    subjRel = tokStart[0] - ls;
    subjLen = tokEnd[0] - tokStart[0];
    replyRel = hasReply ? tokStart[1] - ls : 0;
    replyLen = hasReply ? tokEnd[1] - tokStart[1] : 0;
    hdrLen = hdr;
    msgSize = size;
    final int lineLen = le - ls;
    if (!inScratch) {
      scratchLen = 0;
      ensureScratch(lineLen + size);
      appendScratch(line, ls, lineLen);
    } else {
      scratchLen = lineLen;
      ensureScratch(lineLen + size);
    }
    msgBase = lineLen;
    state = size == 0 ? MSG_END_R : MSG_PAYLOAD;
    return next;
  }

  private int copyPayload(byte[] buf, int i, int end) {
    final int missing = msgSize - (scratchLen - msgBase);
    final int n = Math.min(missing, end - i);
    System.arraycopy(buf, i, scratch, scratchLen, n);
    scratchLen += n;
    if (n == missing) {
      state = MSG_END_R;
    }
    return i + n;
  }

  /**
   * Splits {@code line[s, e)} on blanks (and on CR/LF too when {@code crlfSeparates}, as nats-server
   * does for SUB and UNSUB but not for PUB). Returns the token count, stopping early once it exceeds
   * {@link #MAX_TOKENS}.
   */
  private int tokenize(byte[] line, int s, int e, boolean crlfSeparates) {
    int n = 0;
    int start = -1;
    for (int i = s; i < e; i++) {
      final byte b = line[i];
      final boolean sep = b == ' ' || b == '\t' || (crlfSeparates && (b == '\r' || b == '\n'));
      if (sep) {
        if (start >= 0) {
          tokStart[n] = start;
          tokEnd[n] = i;
          start = -1;
          if (++n > MAX_TOKENS) {
            return n;
          }
        }
      } else if (start < 0) {
        start = i;
      }
    }
    if (start >= 0) {
      tokStart[n] = start;
      tokEnd[n] = e;
      n++;
    }
    return n;
  }

  /** nats-server's size syntax: 1 to 9 decimal digits, nothing else (no sign); -1 when invalid. */
  static int parseSize(byte[] b, int s, int e) {
    final int len = e - s;
    if (len == 0 || len > MAX_SIZE_DIGITS) {
      return -1;
    }
    int n = 0;
    for (int i = s; i < e; i++) {
      final int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      n = n * 10 + d;
    }
    return n;
  }

  private static boolean isJsonSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\r' || b == '\n';
  }

  // ---- scratch ----

  private void ensureScratch(int capacity) {
    if (scratch.length < capacity) {
      final int grown = Math.max(capacity, Math.min(scratch.length * 2, RETAINED_SCRATCH_BYTES));
      final byte[] bigger = new byte[Math.max(grown, 256)];
      System.arraycopy(scratch, 0, bigger, 0, scratchLen);
      scratch = bigger;
    }
  }

  private void appendScratch(byte[] src, int off, int len) {
    ensureScratch(scratchLen + len);
    System.arraycopy(src, off, scratch, scratchLen, len);
    scratchLen += len;
  }

  private void releaseScratch() {
    scratchLen = 0;
    if (scratch.length > RETAINED_SCRATCH_BYTES) {
      scratch = NO_BYTES;
    }
  }

  /** Bytes the parser currently holds for split operations; visible for tests. */
  int scratchCapacity() {
    return scratch.length;
  }

  // ---- errors ----

  private void fail(NatsParseError error) {
    state = DEAD;
    failed = true;
    handler.onError(error);
  }

  private int fail(NatsParseError error, int end) {
    fail(error);
    return end;
  }
}
