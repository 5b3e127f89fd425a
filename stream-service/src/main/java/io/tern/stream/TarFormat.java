package io.tern.stream;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The subset of POSIX ustar that stream archives use: regular files only, names under 100 bytes.
 * Reading is strict: an entry that is not a regular file (links, devices, directories), a name that
 * is absolute or climbs with {@code ..}, a bad header checksum or a truncated archive is an error,
 * so that an archive can never reach outside what it describes.
 */
public final class TarFormat {

  private static final int BLOCK = 512;

  /** One regular file of an archive. */
  public record Entry(String name, byte[] data) {
  }

  private TarFormat() {
  }

  /** Writes {@code entries} as a tar archive. */
  public static byte[] write(List<Entry> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Entry e : entries) {
      checkName(e.name());
      byte[] header = new byte[BLOCK];
      byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
      System.arraycopy(name, 0, header, 0, name.length);
      octal(header, 100, 8, 0644);
      octal(header, 108, 8, 0);
      octal(header, 116, 8, 0);
      octal(header, 124, 12, e.data().length);
      octal(header, 136, 12, 0);
      header[156] = '0';
      System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, header, 257, 8);
      for (int i = 148; i < 156; i++) {
        header[i] = ' ';
      }
      octal(header, 148, 8, checksum(header));
      out.writeBytes(header);
      out.writeBytes(e.data());
      out.writeBytes(new byte[pad(e.data().length)]);
    }
    out.writeBytes(new byte[2 * BLOCK]);
    return out.toByteArray();
  }

  /**
   * Reads every entry of {@code archive}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static List<Entry> read(byte[] archive) {
    List<Entry> out = new ArrayList<>();
    int pos = 0;
    while (true) {
      if (pos + BLOCK > archive.length) {
        throw new IllegalArgumentException("archive is truncated");
      }
      if (isZero(archive, pos)) {
        return out;
      }
      int sum = (int) parseOctal(archive, pos + 148, 8);
      byte[] header = java.util.Arrays.copyOfRange(archive, pos, pos + BLOCK);
      for (int i = 148; i < 156; i++) {
        header[i] = ' ';
      }
      if (checksum(header) != sum) {
        throw new IllegalArgumentException("archive header checksum mismatch at offset " + pos);
      }
      String name = cString(archive, pos, 100);
      String prefix = cString(archive, pos + 345, 155);
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
      byte type = archive[pos + 156];
      if (type != '0' && type != 0) {
        throw new IllegalArgumentException("archive entry " + name + " is not a regular file (type '" + (char) type + "')");
      }
      checkName(name);
      long size = parseOctal(archive, pos + 124, 12);
      pos += BLOCK;
      if (size < 0 || pos + size > archive.length) {
        throw new IllegalArgumentException("archive is truncated in " + name);
      }
      out.add(new Entry(name, java.util.Arrays.copyOfRange(archive, pos, pos + (int) size)));
      pos += (int) size + pad((int) size);
    }
  }

  /** Refuses absolute names, {@code ..} segments and empty names. */
  static void checkName(String name) {
    if (name.isEmpty() || name.startsWith("/") || name.startsWith("\\") || name.contains(":")
        || name.getBytes(StandardCharsets.UTF_8).length >= 100) {
      throw new IllegalArgumentException("archive entry name not allowed: " + name);
    }
    for (String part : name.split("[/\\\\]", -1)) {
      if (part.equals("..") || part.equals(".") || part.isEmpty()) {
        throw new IllegalArgumentException("archive entry name not allowed: " + name);
      }
    }
  }

  private static int pad(int size) {
    return (BLOCK - size % BLOCK) % BLOCK;
  }

  private static boolean isZero(byte[] b, int pos) {
    for (int i = pos; i < pos + BLOCK; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static int checksum(byte[] header) {
    int sum = 0;
    for (byte x : header) {
      sum += x & 0xff;
    }
    return sum;
  }

  private static void octal(byte[] b, int off, int len, long value) {
    String s = Long.toOctalString(value);
    if (s.length() > len - 1) {
      throw new IllegalArgumentException("value too large for a tar header: " + value);
    }
    String padded = "0".repeat(len - 1 - s.length()) + s;
    System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, b, off, len - 1);
    b[off + len - 1] = 0;
  }

  private static long parseOctal(byte[] b, int off, int len) {
    int i = off;
    int end = off + len;
    while (i < end && b[i] == ' ') {
      i++;
    }
    long v = 0;
    for (; i < end && b[i] != 0 && b[i] != ' '; i++) {
      if (b[i] < '0' || b[i] > '7') {
        throw new IllegalArgumentException("archive header has a bad number");
      }
      v = v * 8 + (b[i] - '0');
    }
    return v;
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }
}
