package org.cameldicomsecure.web.server;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.cameldicomsecure.web.InstanceSource;

/**
 * Finds the instances of a WADO-RS request. An empty list is answered 404 (Not Found); a
 * {@link DicomWebStatusException} is answered with its status; any other failure 500. The sources are opened one
 * after the other while the multipart response streams out.
 */
@FunctionalInterface
public interface WadoHandler {
    CompletionStage<List<InstanceSource>> retrieve(WebRequest request, WadoQuery query);
}
