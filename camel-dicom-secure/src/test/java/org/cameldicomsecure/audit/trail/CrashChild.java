package org.cameldicomsecure.audit.trail;

import java.nio.file.Path;
import java.util.List;

/**
 * The child JVM of {@link AuditTrailCrashTest}: emits records {@code n = 0, 1, 2 ...} with sync=true into a spool
 * delivering to a {@link FileSink}, and prints {@code ACK <sequence> <n>} once each emit returned, until killed.
 */
public final class CrashChild {

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path spool = Path.of(args[0]);
        Path out = Path.of(args[1]);
        AuditTrail trail = AuditTrail.open(TrailTestSupport.options(spool, a -> { }).sync(true).batchSize(50).build(),
                List.of(new FileSink("file", out, 0, 0)));
        System.out.println("READY");
        System.out.flush();
        for (int n = 0; ; n++) {
            SpooledRecord r = trail.emit(TrailTestSupport.record(n, 300));
            System.out.println("ACK " + r.sequence() + " " + n);
            System.out.flush();
        }
    }
}
