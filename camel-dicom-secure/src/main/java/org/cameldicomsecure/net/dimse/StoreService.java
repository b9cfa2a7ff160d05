package org.cameldicomsecure.net.dimse;

import java.util.concurrent.CompletionStage;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.net.assoc.AssociationInfo;

/**
 * What a Storage SCP does with a received instance. Called on the event loop: hand the work off and complete the
 * stage later. The C-STORE response is sent only when the stage completes: its status if it completes normally,
 * {@link Status#OUT_OF_RESOURCES} if it completes exceptionally. The service owns {@code instance} and closes it.
 */
@FunctionalInterface
public interface StoreService {

    CompletionStage<StoreResult> store(AssociationInfo association, Dataset command, ReceivedInstance instance);
}
