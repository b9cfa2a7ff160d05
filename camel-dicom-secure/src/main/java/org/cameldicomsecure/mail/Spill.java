package org.cameldicomsecure.mail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.cameldicomsecure.dicom.io.TempFiles;

/**
 * Bytes written once and read back: in memory up to a threshold, then in a temporary file (registered with
 * {@link TempFiles}, deleted by {@link #close()}).
 */
final class Spill extends OutputStream {

    private final int threshold;
    private ByteArrayOutputStream memory = new ByteArrayOutputStream();
    private Path file;
    private Runnable delete;
    private OutputStream fileOut;
    private long length;

    Spill(int threshold) {
        this.threshold = threshold;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (fileOut == null && memory.size() + (long) len > threshold) {
            file = Files.createTempFile("cds-mail-", ".tmp");
            delete = TempFiles.register(file);
            fileOut = new java.io.BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
            memory.writeTo(fileOut);
            memory = null;
        }
        if (fileOut != null) {
            fileOut.write(b, off, len);
        } else {
            memory.write(b, off, len);
        }
        length += len;
    }

    /** Ends writing. */
    void finish() throws IOException {
        if (fileOut != null) {
            fileOut.close();
        }
    }

    long length() {
        return length;
    }

    InputStream open() throws IOException {
        return file != null ? Files.newInputStream(file) : new ByteArrayInputStream(memory.toByteArray());
    }

    /** A data source over the bytes, typed {@code contentType}. */
    jakarta.activation.DataSource dataSource(String contentType, String name) {
        return new jakarta.activation.DataSource() {
            @Override
            public InputStream getInputStream() throws IOException {
                return open();
            }

            @Override
            public OutputStream getOutputStream() throws IOException {
                throw new IOException("read-only");
            }

            @Override
            public String getContentType() {
                return contentType;
            }

            @Override
            public String getName() {
                return name;
            }
        };
    }

    @Override
    public void close() {
        try {
            if (fileOut != null) {
                fileOut.close();
            }
        } catch (IOException e) {
            // deleting anyway
        }
        if (delete != null) {
            delete.run();
        }
        memory = null;
    }
}
