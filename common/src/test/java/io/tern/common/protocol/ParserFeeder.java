package io.tern.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Feeds a byte stream to a fresh {@link NatsParser} in different splits and checks that every split
 * yields the same records.
 *
 * <p>Each piece is copied into a larger array at a non-zero offset with junk around it, and is
 * overwritten with junk after {@code parse} returns, so a parser that reads outside its range or
 * keeps a reference to a caller's array produces wrong records.
 */
final class ParserFeeder {

  static final int DEFAULT_MAX_CONTROL_LINE = 4096;
  static final int DEFAULT_MAX_PAYLOAD = 1024 * 1024;
  static final int RANDOM_SPLITS = 200;
  private static final long SEED = 0x7E42_2024L;
  private static final byte JUNK = 'Z';

  private ParserFeeder() {
  }

  /** Parses in one call, one byte at a time, and in {@link #RANDOM_SPLITS} random splits. */
  static List<String> parseAllWays(byte[] data) {
    return parseAllWays(data, DEFAULT_MAX_CONTROL_LINE, DEFAULT_MAX_PAYLOAD, RANDOM_SPLITS);
  }

  static List<String> parseAllWays(String data) {
    return parseAllWays(RecordingHandler.ascii(data));
  }

  static List<String> parseAllWays(byte[] data, int maxControlLine, int maxPayload, int splits) {
    List<String> whole = parseWhole(data, maxControlLine, maxPayload);
    assertThat(parseInPieces(data, maxControlLine, maxPayload, fixed(data.length, 1)))
        .as("one byte at a time").isEqualTo(whole);
    Random random = new Random(SEED);
    for (int n = 0; n < splits; n++) {
      // Mix tiny pieces (splits inside op names and CRLFs) with large ones.
      int maxPiece = switch (n % 3) {
        case 0 -> 1 + random.nextInt(8);
        case 1 -> 1 + random.nextInt(64);
        default -> 1 + random.nextInt(Math.max(1, data.length));
      };
      int[] pieces = randomPieces(data.length, maxPiece, random);
      assertThat(parseInPieces(data, maxControlLine, maxPayload, pieces))
          .as("random split #%d %s", n, Arrays.toString(pieces)).isEqualTo(whole);
    }
    return whole;
  }

  static List<String> parseWhole(byte[] data, int maxControlLine, int maxPayload) {
    return parseInPieces(data, maxControlLine, maxPayload, new int[] {data.length});
  }

  static List<String> parseInPieces(byte[] data, int maxControlLine, int maxPayload, int[] pieces) {
    RecordingHandler handler = new RecordingHandler();
    NatsParser parser = new NatsParser(handler, maxControlLine, maxPayload);
    int pos = 0;
    for (int piece : pieces) {
      int pad = 1 + (pos % 7);
      byte[] holder = new byte[pad + piece + pad];
      Arrays.fill(holder, JUNK);
      System.arraycopy(data, pos, holder, pad, piece);
      parser.parse(holder, pad, piece);
      Arrays.fill(holder, JUNK);
      pos += piece;
    }
    assertThat(pos).isEqualTo(data.length);
    assertThat(parser.failed()).isEqualTo(
        !handler.records.isEmpty() && handler.records.get(handler.records.size() - 1).startsWith("ERROR"));
    return handler.records;
  }

  static int[] fixed(int total, int size) {
    int n = (total + size - 1) / size;
    int[] pieces = new int[n];
    for (int i = 0; i < n; i++) {
      pieces[i] = Math.min(size, total - i * size);
    }
    return pieces;
  }

  private static int[] randomPieces(int total, int maxPiece, Random random) {
    int[] pieces = new int[total + 1];
    int n = 0;
    int left = total;
    while (left > 0) {
      int piece = Math.min(left, 1 + random.nextInt(maxPiece));
      pieces[n++] = piece;
      left -= piece;
    }
    return Arrays.copyOf(pieces, n);
  }
}
