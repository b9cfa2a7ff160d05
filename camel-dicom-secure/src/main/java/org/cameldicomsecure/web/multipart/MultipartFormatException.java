package org.cameldicomsecure.web.multipart;

import java.io.IOException;

/**
 * A malformed multipart/related body or Content-Type: the message names the problem (and the part number where there
 * is one), never the content.
 */
public class MultipartFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public MultipartFormatException(String message) {
        super(message);
    }

    public MultipartFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
