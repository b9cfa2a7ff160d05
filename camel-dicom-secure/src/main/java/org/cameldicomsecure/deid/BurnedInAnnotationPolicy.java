package org.cameldicomsecure.deid;

/** What to do with an instance whose Burned In Annotation (0028,0301) is YES when pixel data are not cleaned. */
public enum BurnedInAnnotationPolicy {
    /** Refuse to de-identify it (a {@link DeidentificationException}). The default. */
    REJECT,
    /** De-identify the attributes anyway and leave the pixels as they are; the caller takes the responsibility. */
    ALLOW
}
