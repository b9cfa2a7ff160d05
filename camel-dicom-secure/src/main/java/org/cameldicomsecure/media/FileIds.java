package org.cameldicomsecure.media;

import java.util.ArrayList;
import java.util.List;

/**
 * File IDs (PS3.10 §8.2, §8.5): one to eight components, each one to eight characters of A-Z, 0-9 and underscore
 * (the CS repertoire without SPACE). On ZIP media the components are joined with "/" (PS3.12 V.1.2); in a MIME
 * part's Content-ID-like file name (PS3.12 K.1.2) likewise.
 */
public final class FileIds {

    /** The reserved File ID of the directory file (PS3.10 §8.6). */
    public static final String DICOMDIR = "DICOMDIR";
    public static final int MAX_COMPONENTS = 8;
    public static final int MAX_COMPONENT_LENGTH = 8;
    /** Longest "/"-joined File ID: 8 components of 8 characters and 7 separators. */
    public static final int MAX_MIME_ID_LENGTH = 71;

    private FileIds() {
    }

    /** @throws IllegalArgumentException naming the offending component if {@code components} is not a File ID */
    public static void check(List<String> components) {
        String problem = problem(components);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Whether {@code components} is a valid File ID. */
    public static boolean isValid(List<String> components) {
        return problem(components) == null;
    }

    static String problem(List<String> components) {
        if (components == null || components.isEmpty()) {
            return "a File ID needs 1 to 8 components, it has none";
        }
        if (components.size() > MAX_COMPONENTS) {
            return "a File ID has at most 8 components, not " + components.size();
        }
        for (String c : components) {
            if (c == null || c.isEmpty() || c.length() > MAX_COMPONENT_LENGTH) {
                return "File ID component " + quote(c) + " must be 1 to 8 characters";
            }
            for (int i = 0; i < c.length(); i++) {
                char ch = c.charAt(i);
                if (!(ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_')) {
                    return "File ID component " + quote(c) + " has a character outside A-Z 0-9 _ (PS3.10 8.5)";
                }
            }
        }
        return null;
    }

    private static String quote(String c) {
        if (c == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < c.length() && i < 16; i++) {
            char ch = c.charAt(i);
            b.append(ch >= 0x20 && ch < 0x7f ? ch : '?');
        }
        return b.append(c.length() > 16 ? "...'" : "'").toString();
    }

    /** The File ID as a "/"-separated path (PS3.12 K.1.2 / V.1.2), at most 71 characters. */
    public static String mimeId(List<String> components) {
        check(components);
        return String.join("/", components);
    }

    /** A MIME part's file name: the last component + ".dcm"; the DICOMDIR keeps the name "DICOMDIR". */
    public static String mimeName(List<String> components) {
        check(components);
        if (components.size() == 1 && DICOMDIR.equals(components.get(0))) {
            return DICOMDIR;
        }
        return components.get(components.size() - 1) + ".dcm";
    }

    /** Parses a "/"-separated File ID, validating every component. */
    public static List<String> parse(String slashSeparated) {
        if (slashSeparated == null) {
            throw new IllegalArgumentException("File ID is null");
        }
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= slashSeparated.length(); i++) {
            if (i == slashSeparated.length() || slashSeparated.charAt(i) == '/') {
                parts.add(slashSeparated.substring(start, i));
                start = i + 1;
            }
            if (parts.size() > MAX_COMPONENTS) {
                break;
            }
        }
        check(parts);
        return List.copyOf(parts);
    }
}
