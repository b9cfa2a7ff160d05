package org.cameldicomsecure.net.codec;

/**
 * What {@link PduDecoder} emits for input that breaks PS3.8 §9.3, instead of throwing through the pipeline: the
 * association answers it with an A-ABORT carrying {@link #abortReason()} and closes.
 *
 * @param abortReason the A-ABORT reason (PS3.8 Table 9-26)
 * @param message     what was wrong, for logs (never any PDU content)
 */
public record InvalidPdu(int abortReason, String message) {
}
