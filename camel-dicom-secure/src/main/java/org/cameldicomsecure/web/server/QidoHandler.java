package org.cameldicomsecure.web.server;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.cameldicomsecure.dicom.Dataset;

/**
 * Answers a QIDO-RS search with one data set per match; an empty list is answered 204 (No Content, PS3.18 Table
 * 10.6.3-1); a {@link DicomWebStatusException} is answered with its status (e.g. 400 for a bad query, 413 for too
 * broad a search).
 */
@FunctionalInterface
public interface QidoHandler {
    CompletionStage<List<Dataset>> search(WebRequest request, QidoQuery query);
}
