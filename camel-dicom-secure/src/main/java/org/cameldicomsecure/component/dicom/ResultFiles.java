package org.cameldicomsecure.component.dicom;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.cameldicomsecure.dicom.io.TempFiles;

/**
 * Result files of the producers that transform an instance (dicomdeid, dicomsign): written streaming into a work
 * folder, handed on as the body ({@link java.io.File}) and deleted when the exchange completes, so that large pixel
 * data never needs to be in the heap and nothing is left behind.
 */
public final class ResultFiles {

    private ResultFiles() {
    }

    /** A new empty file in {@code dir} (made if missing); the caller deletes it if writing fails. */
    public static Path create(Path dir, String prefix, String suffix) throws IOException {
        Files.createDirectories(dir);
        return Files.createTempFile(dir, prefix, suffix);
    }

    /** The folder of {@code workDirectory}, or the JVM's temporary folder when it is not set. */
    public static Path directory(String workDirectory) {
        return Path.of(workDirectory != null ? workDirectory : System.getProperty("java.io.tmpdir"));
    }

    /** Makes {@code file} the body of {@code exchange} and deletes it when the exchange is done. */
    public static void replaceBody(Exchange exchange, Path file) {
        Runnable delete = TempFiles.register(file);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange exchange) {
                delete.run();
            }
        });
        exchange.getIn().setBody(file.toFile());
    }
}
