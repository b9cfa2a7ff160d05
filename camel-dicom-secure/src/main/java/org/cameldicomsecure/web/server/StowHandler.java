package org.cameldicomsecure.web.server;

import java.util.concurrent.CompletionStage;

/**
 * Stores one instance of a STOW-RS request. Called only after every part of the request was received and validated,
 * once per instance, possibly for several instances at the same time, on a worker thread (never on an event loop).
 * The returned stage must not be completed on the caller's thread by blocking I/O on the event loop.
 *
 * <p>The instance's temporary file is deleted when the stage completes unless the handler called
 * {@link StowInstance#detach()}. A stage completed exceptionally, or an exception thrown, reports the instance as
 * failed with Failure Reason 0110 (Processing failure) unless it is an {@link InstanceOutcome} failure.
 */
@FunctionalInterface
public interface StowHandler {
    CompletionStage<InstanceOutcome> store(WebRequest request, StowInstance instance);
}
