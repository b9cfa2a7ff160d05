package org.cameldicomsecure.web;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.cameldicomsecure.dicom.io.TempFiles;

/**
 * One DICOM Part 10 instance to send (STOW-RS) or serve (WADO-RS) without loading it into memory: a file, a byte
 * array, or a {@link DicomFile} that is encoded with {@link DicomWriter} each time it is {@link #open() opened}.
 * {@link #open()} may be called more than once (a client replays a request after refreshing its token).
 */
public abstract class InstanceSource {

    /** A {@link DicomFile} whose data set encodes to more than this many bytes is written to a temporary file on open. */
    static final long IN_MEMORY_LIMIT = 8L << 20;

    InstanceSource() {
    }

    /** The Part 10 file at {@code file}; it is read when opened, not now. */
    public static InstanceSource of(Path file) {
        Objects.requireNonNull(file, "file");
        return new InstanceSource() {
            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(file);
            }

            @Override
            public long length() {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    return -1;
                }
            }

            @Override
            public String toString() {
                return "InstanceSource[file " + file + "]";
            }
        };
    }

    /** A Part 10 file in memory (not copied: do not change the array afterwards). */
    public static InstanceSource of(byte[] part10) {
        Objects.requireNonNull(part10, "part10");
        return new InstanceSource() {
            @Override
            public InputStream open() {
                return new ByteArrayInputStream(part10);
            }

            @Override
            public long length() {
                return part10.length;
            }

            @Override
            public String toString() {
                return "InstanceSource[" + part10.length + " bytes]";
            }
        };
    }

    /**
     * {@code file} encoded with {@link DicomWriter} on each {@link #open()}: in memory when small, else into a
     * temporary file that is deleted when the returned stream is closed. Its length is unknown (-1).
     */
    public static InstanceSource of(DicomFile file) {
        Objects.requireNonNull(file, "file");
        return new InstanceSource() {
            @Override
            public InputStream open() throws IOException {
                DicomWriter writer = new DicomWriter();
                long estimate;
                try {
                    estimate = writer.encodedLength(file.dataset(), file.transferSyntax());
                } catch (RuntimeException e) {
                    estimate = Long.MAX_VALUE;
                }
                if (estimate <= IN_MEMORY_LIMIT && !file.transferSyntax().deflated()) {
                    return new ByteArrayInputStream(writer.toBytes(file));
                }
                Path tmp = Files.createTempFile("cds-web-", ".dcm");
                Runnable delete = TempFiles.register(tmp);
                try {
                    writer.write(file, tmp);
                    return new FilterInputStream(Files.newInputStream(tmp)) {
                        private boolean closed;

                        @Override
                        public void close() throws IOException {
                            if (!closed) {
                                closed = true;
                                try {
                                    super.close();
                                } finally {
                                    delete.run();
                                }
                            }
                        }
                    };
                } catch (IOException | RuntimeException e) {
                    delete.run();
                    throw e;
                }
            }

            @Override
            public long length() {
                return -1;
            }

            @Override
            public String transferSyntaxUid() {
                return file.transferSyntax().uid();
            }

            @Override
            public String toString() {
                return "InstanceSource[DicomFile]";
            }
        };
    }

    /**
     * The transfer syntax of the instance when it is known without reading it (a {@link DicomFile}'s, or one given with
     * {@link #withTransferSyntaxUid}), else null. WADO-RS uses it to honour the transfer syntax a client asks for.
     */
    public String transferSyntaxUid() {
        return null;
    }

    /** This source, telling {@code uid} as its {@link #transferSyntaxUid()} (the caller read it from the instance). */
    public InstanceSource withTransferSyntaxUid(String uid) {
        Objects.requireNonNull(uid, "uid");
        InstanceSource self = this;
        return new InstanceSource() {
            @Override
            public InputStream open() throws IOException {
                return self.open();
            }

            @Override
            public long length() {
                return self.length();
            }

            @Override
            public String transferSyntaxUid() {
                return uid;
            }

            @Override
            public String toString() {
                return self + "[" + uid + "]";
            }
        };
    }

    /** A new stream of the Part 10 bytes, from the start; the caller closes it. */
    public abstract InputStream open() throws IOException;

    /** The length in bytes, or -1 if it is not known without encoding. */
    public abstract long length();
}
