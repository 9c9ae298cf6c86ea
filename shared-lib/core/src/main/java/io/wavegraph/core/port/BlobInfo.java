package io.wavegraph.core.port;

import java.time.Instant;

/**
 * What a blob store knows about one object. {@code generation} changes every time the object is
 * written (Cloud Storage's generation; a file's write stamp on disk) and is what downstream
 * results record as their input fingerprint.
 */
public record BlobInfo(String key, long size, String generation, Instant updated) {}
