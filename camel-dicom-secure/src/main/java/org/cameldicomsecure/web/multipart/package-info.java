/**
 * Streaming multipart/related (RFC 2387) bodies, as STOW-RS requests and WADO-RS responses use them (PS3.18 8.7.3.x):
 * {@link org.cameldicomsecure.web.multipart.MultipartRelatedReader} parses with mime4j-core's {@code MimeTokenStream}
 * and hands out each part's body as a stream, {@link org.cameldicomsecure.web.multipart.MultipartRelatedWriter}
 * writes parts from streams. Neither holds a whole part in memory.
 */
package org.cameldicomsecure.web.multipart;
