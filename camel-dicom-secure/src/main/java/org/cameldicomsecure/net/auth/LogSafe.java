package org.cameldicomsecure.net.auth;

/** Makes peer-supplied text (user names, claim values, AE titles) safe to put on a log line. */
final class LogSafe {

    private static final int MAX = 64;

    private LogSafe() {
    }

    /** Control and format characters replaced by {@code ?}, cut at 64 characters. */
    static String text(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX + 1));
        for (int i = 0; i < s.length() && b.length() < MAX; i++) {
            char c = s.charAt(i);
            int t = Character.getType(c);
            boolean unsafe = Character.isISOControl(c) || t == Character.FORMAT || t == Character.LINE_SEPARATOR
                    || t == Character.PARAGRAPH_SEPARATOR || t == Character.SURROGATE;
            b.append(unsafe ? '?' : c);
        }
        if (s.length() > MAX) {
            b.append("...");
        }
        return b.toString();
    }

    /** {@link #text} in single quotes. */
    static String quote(String s) {
        return "'" + text(s) + "'";
    }
}
