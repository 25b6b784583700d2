package io.spacecrab.detect;

/**
 * What reading one CloudTrail file did (up to the damage, when it was damaged).
 *
 * @param compressedBytes gzip bytes read from the source
 * @param decompressedBytes JSON bytes read out of the gzip stream
 * @param records record objects in the {@code Records} array that were read to their end or
 *     started
 * @param delivered records the filter accepted and the sink received
 * @param skippedElements entries of {@code Records} that were not objects (skipped)
 * @param wrongTypeFields fields of a record with an unexpected JSON type (ignored)
 * @param truncatedFields string values cut at the field cap
 */
public record CloudTrailFileSummary(
    long compressedBytes,
    long decompressedBytes,
    int records,
    int delivered,
    int skippedElements,
    int wrongTypeFields,
    int truncatedFields) {}
