package org.cameldicomsecure.web.server;

/** The DICOMweb Studies Service transactions the origin server can serve (PS3.18 §10). */
public enum DicomWebOperation {
    /** Store (STOW-RS, §10.5): {@code POST {base}/studies[/{study}]}. */
    STOW,
    /** Retrieve (WADO-RS, §10.4) of instances: {@code GET {base}/studies/{s}[/series/{se}[/instances/{i}]]}. */
    WADO,
    /** Search (QIDO-RS, §10.6): {@code GET {base}/studies}, {@code .../series}, {@code .../instances}. */
    QIDO
}
