package org.cameldicomsecure.mail.smime;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Brings line ends to CRLF (the canonical form of RFC 8551 §3.1.1) in bulk: a CR becomes CRLF, an LF not preceded by
 * a CR becomes CRLF, every other byte passes. The same bytes as Bouncy Castle's
 * {@code org.bouncycastle.mail.smime.util.CRLFOutputStream}, which does it one byte (and one call) at a time.
 * Already canonical input passes in the blocks it was written in.
 */
final class CrlfOutputStream extends FilterOutputStream {

    private static final byte[] CRLF = {'\r', '\n'};
    private int last = -1;

    CrlfOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        int run = off;
        for (int i = off; i < end; i++) {
            byte c = b[i];
            if (c == '\r') {
                // CR LF stays as it is; a lone CR becomes CR LF
                if (i + 1 < end) {
                    if (b[i + 1] != '\n') {
                        out.write(b, run, i + 1 - run);
                        out.write('\n');
                        run = i + 1;
                    }
                } else {
                    out.write(b, run, i + 1 - run);
                    out.write('\n');
                    run = i + 1;
                }
            } else if (c == '\n') {
                boolean afterCr = i > off ? b[i - 1] == '\r' : last == '\r';
                if (afterCr) {
                    if (i == off) {
                        // the CR ended the previous block and was written as CR LF: drop this LF
                        run = i + 1;
                    }
                    // else: part of a CR LF pair in this block, passes within the run
                } else {
                    out.write(b, run, i - run);
                    out.write(CRLF);
                    run = i + 1;
                }
            }
        }
        if (run < end) {
            out.write(b, run, end - run);
        }
        if (len > 0) {
            last = b[end - 1];
        }
    }
}
