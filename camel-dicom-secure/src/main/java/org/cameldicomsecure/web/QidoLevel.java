package org.cameldicomsecure.web;

import java.util.Locale;

/**
 * The level of a QIDO-RS search (PS3.18 §10.6.1): the resource a search returns, and the last segment of its path
 * ({@code {base}/studies}, {@code .../series}, {@code .../instances}).
 */
public enum QidoLevel {
    STUDY("studies"),
    SERIES("series"),
    INSTANCE("instances");

    private final String pathSegment;

    QidoLevel(String pathSegment) {
        this.pathSegment = pathSegment;
    }

    /** The path segment that names this level's resources: {@code studies}, {@code series} or {@code instances}. */
    public String pathSegment() {
        return pathSegment;
    }

    /** The level named by a path segment, or {@code null}. */
    public static QidoLevel ofPathSegment(String segment) {
        if (segment == null) {
            return null;
        }
        String s = segment.toLowerCase(Locale.ROOT);
        for (QidoLevel l : values()) {
            if (l.pathSegment.equals(s)) {
                return l;
            }
        }
        return null;
    }
}
