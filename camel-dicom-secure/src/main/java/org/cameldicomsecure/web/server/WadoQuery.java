package org.cameldicomsecure.web.server;

import java.util.Objects;

/**
 * The target of a WADO-RS retrieve (PS3.18 §10.4.1): a study, a series of it, or one instance.
 *
 * @param seriesInstanceUid null for a study
 * @param sopInstanceUid    null for a study or a series
 */
public record WadoQuery(String studyInstanceUid, String seriesInstanceUid, String sopInstanceUid) {

    /** What the target is. */
    public enum Level {
        STUDY, SERIES, INSTANCE
    }

    public WadoQuery {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        if (sopInstanceUid != null && seriesInstanceUid == null) {
            throw new IllegalArgumentException("an instance is retrieved within its series");
        }
    }

    public Level level() {
        return sopInstanceUid != null ? Level.INSTANCE : seriesInstanceUid != null ? Level.SERIES : Level.STUDY;
    }
}
