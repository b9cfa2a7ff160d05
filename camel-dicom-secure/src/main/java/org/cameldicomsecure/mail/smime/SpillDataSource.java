package org.cameldicomsecure.mail.smime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.activation.DataSource;

/** A read-only DataSource over a {@link Spill}: the content of a part this package made. */
final class SpillDataSource implements DataSource {

    private final Spill spill;
    private final String contentType;
    private final String name;

    SpillDataSource(Spill spill, String contentType, String name) {
        this.spill = spill;
        this.contentType = contentType;
        this.name = name;
    }

    Spill spill() {
        return spill;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return spill.open();
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
}
