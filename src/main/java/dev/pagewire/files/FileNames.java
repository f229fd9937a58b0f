package dev.pagewire.files;

import java.nio.charset.StandardCharsets;

/** File names from and to browsers: cleaned of folders and control characters, and as a safe header. */
final class FileNames {
    private static final int MAX_LENGTH = 255;
    /** RFC 5987's attr-char besides letters and digits: what {@code filename*} may carry unescaped. */
    private static final String ATTR_CHARS = "!#$&+-.^_`|~";

    private FileNames() {
    }

    /** The last segment of {@code name} (browsers once sent whole paths), without control characters, at most 255 characters. */
    static String clean(String name) {
        String last = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        StringBuilder s = new StringBuilder(last.length());
        last.codePoints().filter(c -> c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0)).forEach(s::appendCodePoint);
        String clean = s.toString().strip();
        if (clean.length() > MAX_LENGTH) {
            clean = clean.substring(0, MAX_LENGTH);
        }
        return clean.isEmpty() || clean.equals(".") || clean.equals("..") ? "blob" : clean;
    }

    /**
     * {@code Content-Disposition: attachment} for {@code name} (RFC 6266): an ASCII {@code
     * filename} for old clients, with every other character as {@code _}, and the exact name as
     * {@code filename*} in UTF-8, percent-encoded. Nothing of the name can end the header or add
     * a parameter.
     */
    static String attachment(String name) {
        String clean = clean(name);
        StringBuilder ascii = new StringBuilder(clean.length());
        for (int i = 0; i < clean.length(); i++) {
            char c = clean.charAt(i);
            ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' ? c : '_');
        }
        StringBuilder encoded = new StringBuilder(clean.length() * 3);
        for (byte b : clean.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || ATTR_CHARS.indexOf(c) >= 0)) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
