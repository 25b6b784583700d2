package io.spacecrab.detect;

/**
 * Bounds on one CloudTrail file, so a hostile or broken file costs bounded time and memory.
 *
 * @param maxDecompressedBytes uncompressed JSON bytes read before the file is TOO_LARGE
 * @param maxRecords records read before the file is TOO_MANY_RECORDS
 * @param maxFieldChars length of each string kept in a {@link CloudTrailRecord}; longer ones are
 *     cut and marked
 * @param maxStringChars longest string value the parser decodes in a field it reads (longer:
 *     TOO_LARGE); strings in fields it does not read are skipped whatever their length
 */
public record CloudTrailLimits(
    long maxDecompressedBytes, int maxRecords, int maxFieldChars, int maxStringChars) {

  /** 1 GiB, 1,000,000 records, 1,024-character fields, 1 Mi-character strings. */
  public static final CloudTrailLimits DEFAULTS =
      new CloudTrailLimits(1L << 30, 1_000_000, 1024, 1 << 20);

  /** Validates the bounds. */
  public CloudTrailLimits {
    if (maxDecompressedBytes <= 0 || maxRecords <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
    if (maxFieldChars < 64 || maxStringChars < maxFieldChars) {
      throw new IllegalArgumentException(
          "need 64 <= maxFieldChars <= maxStringChars, got "
              + maxFieldChars
              + ", "
              + maxStringChars);
    }
  }

  /** The same limits with another decompressed-size bound. */
  public CloudTrailLimits withMaxDecompressedBytes(long bytes) {
    return new CloudTrailLimits(bytes, maxRecords, maxFieldChars, maxStringChars);
  }

  /** The same limits with another record-count bound. */
  public CloudTrailLimits withMaxRecords(int records) {
    return new CloudTrailLimits(maxDecompressedBytes, records, maxFieldChars, maxStringChars);
  }

  /** The same limits with another string-length bound. */
  public CloudTrailLimits withMaxStringChars(int chars) {
    return new CloudTrailLimits(maxDecompressedBytes, maxRecords, maxFieldChars, chars);
  }
}
