package dev.pagewire.files;

/**
 * One byte range of a {@code Range: bytes=...} header (RFC 9110): {@code a-b}, {@code a-} or
 * {@code -n}, clipped to the file.
 *
 * @param first the first byte's offset
 * @param last  the last byte's offset, inclusive
 */
record ByteRange(long first, long last) {
    /** A range that lies wholly past the end of the file: 416. */
    static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

    long length() {
        return last - first + 1;
    }

    /**
     * The range {@code header} asks for in a file of {@code size} bytes; {@code null} for no
     * header, several ranges or one that cannot be read (the whole file is then sent, as RFC 9110
     * allows), {@link #UNSATISFIABLE} for one beyond the end.
     */
    static ByteRange parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
            return null;
        }
        String spec = header.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                if (suffix <= 0) {
                    return suffix == 0 ? UNSATISFIABLE : null;
                }
                return size == 0 ? UNSATISFIABLE : new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? size - 1 : Long.parseLong(b);
            if (first >= size) {
                return UNSATISFIABLE;
            }
            return last < first ? null : new ByteRange(first, Math.min(last, size - 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
