/**
 * The DICOM JSON Model (PS3.18 Annex F, media type {@code application/dicom+json}) with jackson-core's streaming
 * parser and generator: {@link org.cameldicomsecure.web.json.DicomJsonWriter} writes data sets,
 * {@link org.cameldicomsecure.web.json.DicomJsonReader} reads them;
 * {@link org.cameldicomsecure.web.json.BulkDataUri} is the value of an attribute given by a BulkDataURI.
 */
package org.cameldicomsecure.web.json;
