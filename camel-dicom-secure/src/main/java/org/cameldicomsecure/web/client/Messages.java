package org.cameldicomsecure.web.client;

/** Message helpers: texts of exceptions and peers' strings made safe to show. */
final class Messages {

    private static final int MAX = 200;

    private Messages() {
    }

    /** The messages of {@code t} and its causes, each once, joined by ": " (about 600 characters at most). */
    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable x = t; x != null && sb.length() < 600; x = x.getCause()) {
            String m = x.getMessage() != null ? x.getMessage() : x.getClass().getSimpleName();
            if (sb.indexOf(m) < 0) {
                if (sb.length() > 0) {
                    sb.append(": ");
                }
                sb.append(m);
            }
            if (x.getCause() == x) {
                break;
            }
        }
        return sb.toString();
    }

    /** {@code s} with control characters turned into spaces, cut to about 200 characters. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX + 8));
        s.codePoints().limit(MAX + 8L).forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return b.toString();
    }
}
