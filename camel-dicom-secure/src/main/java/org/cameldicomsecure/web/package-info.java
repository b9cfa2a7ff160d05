/**
 * DICOMweb (PS3.18) building blocks without Camel types: {@link org.cameldicomsecure.web.InstanceSource} (one Part 10
 * instance to send or serve without loading it), {@link org.cameldicomsecure.web.StowResponse} (the STOW-RS response
 * in the DICOM JSON and Native DICOM XML models) and {@link org.cameldicomsecure.web.DicomWebException}.
 * {@code web.multipart} streams multipart/related bodies (mime4j), {@code web.json} the DICOM JSON Model (PS3.18
 * Annex F, jackson-core); {@code web.server} and {@code web.client} are the origin server and the user agent.
 */
package org.cameldicomsecure.web;
