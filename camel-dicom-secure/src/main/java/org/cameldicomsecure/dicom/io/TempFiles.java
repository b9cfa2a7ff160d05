package org.cameldicomsecure.dicom.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Temporary files that hold large values: each is deleted by its owner's {@link java.lang.ref.Cleaner} action (the
 * {@link Runnable} returned by {@link #register}), and whatever is still registered when the JVM exits is deleted by
 * one shutdown hook. Unlike {@code File.deleteOnExit}, nothing is kept for files already deleted.
 */
public final class TempFiles {

    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(TempFiles::deleteQuietly),
                "dicom-temp-files"));
    }

    private TempFiles() {
    }

    /** Registers {@code file}; the returned action deletes it and forgets it (run it once, e.g. from a Cleaner). */
    public static Runnable register(Path file) {
        LIVE.add(file);
        return () -> {
            deleteQuietly(file);
            LIVE.remove(file);
        };
    }

    /** How many registered files still exist (for tests and monitoring). */
    public static int liveCount() {
        return LIVE.size();
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // nothing more can be done for a temporary file
        }
    }
}
