/**
 * The DICOM audit messages of PS3.15 A.5 (2024c): an immutable model ({@link org.cameldicomsecure.audit.AuditMessage}
 * and its parts, with the codes of PS3.16 CID 400–405 in {@link org.cameldicomsecure.audit.AuditCodes}), a writer of
 * the standard's XML on one line ({@link org.cameldicomsecure.audit.AuditXml}, valid against the schema of A.5.1.1,
 * resource {@code audit-message.rnc}), and a builder per DICOM-specific message of A.5.3
 * ({@link org.cameldicomsecure.audit.AuditMessages}, one per {@link org.cameldicomsecure.audit.AuditEventType}) that
 * refuses any message breaking a rule of A.5.2 or A.5.3.
 *
 * <p>Interpretations of the standard's text, where it is ambiguous:
 * <ul>
 * <li>The schema requires one of ParticipantObjectName and ParticipantObjectQuery although A.5.3 marks both optional:
 * when neither is given an empty ParticipantObjectName is written.</li>
 * <li>Procedure Record (A.5.3.15) prints the optionality of EventActionCode as "C"; it is treated as M like its
 * siblings A.5.3.13 and A.5.3.14.</li>
 * <li>The Query's "TransferSyntax" detail (A.5.3.10) is written as {@code type="TransferSyntax"} with the UID as value
 * (base64 like every detail value).</li>
 * <li>The "Alert Description" detail of a Security Alert (A.5.3.11) is required on every alert subject; a Security
 * Alert without subject (0..N) has none.</li>
 * <li>Participant objects of a kind the message does not define (e.g. a study in a Patient Record) are refused.</li>
 * </ul>
 *
 * <p>JDK only (no Camel types). Nothing here logs: messages carry patient data; {@code toString()} of the model never
 * shows identifiers or names.
 */
package org.cameldicomsecure.audit;
