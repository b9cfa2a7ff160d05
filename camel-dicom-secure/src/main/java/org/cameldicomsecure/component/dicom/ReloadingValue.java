package org.cameldicomsecure.component.dicom;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import org.cameldicomsecure.tls.FileStamps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value loaded from files (keys, certificates, CRLs) that is loaded again when one of the files changes
 * (modification time, size or file key, one {@code stat} per file at each {@link #get()}): certificates are renewed
 * and CRLs reissued in production, and that must not need a restart. If loading the changed files fails (a file
 * being rewritten, a bad password), the previous value stays in use, a warning names the option, and the next
 * {@code get()} tries again.
 *
 * @param <T> the loaded value
 */
public final class ReloadingValue<T> {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadingValue.class);

    private final String what;
    private final List<Path> files;
    private final Supplier<T> loader;
    private volatile State<T> state;
    private FileStamps failed;

    private record State<T>(FileStamps stamps, T value) {
    }

    /**
     * Loads the value now (so that a bad configuration fails at start).
     *
     * @param what   names the value in the warning, e.g. "dicomsign:sign certificate/privateKey"
     * @param files  the files the value is made of
     * @param loader makes the value from the files; throws, naming the problem, when it cannot
     */
    public ReloadingValue(String what, List<Path> files, Supplier<T> loader) {
        this.what = what;
        this.files = List.copyOf(files);
        this.loader = loader;
        FileStamps stamps = FileStamps.of(this.files);
        this.state = new State<>(stamps, loader.get());
    }

    /** The value, loaded again first if a file changed since it was loaded. */
    public T get() {
        State<T> s = state;
        if (files.isEmpty()) {
            return s.value();
        }
        FileStamps now = FileStamps.of(files);
        if (now.equals(s.stamps())) {
            return s.value();
        }
        synchronized (this) {
            s = state;
            if (now.equals(s.stamps()) || now.equals(failed)) {
                return s.value();
            }
            try {
                T value = loader.get();
                state = new State<>(now, value);
                LOG.info("{}: files changed, loaded again", what);
                return value;
            } catch (RuntimeException e) {
                failed = now; // warned once per change of the files
                LOG.warn("{}: files changed but cannot be loaded ({}); still using the previous ones", what,
                        e.getMessage());
                return s.value();
            }
        }
    }
}
