package org.cameldicomsecure.deid;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The generated tables of this package ({@code tools/generate-deid-tables.py}): UTF-8, tab-separated, {@code #}
 * comment lines, then a header row, then data rows.
 */
final class TsvResource {

    /** The header row and the data rows, each split on tabs (empty fields kept). */
    record Rows(String[] header, List<String[]> rows) {
    }

    private TsvResource() {
    }

    static Rows read(String resource) {
        try (InputStream in = TsvResource.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String[] header = null;
            List<String[]> rows = new ArrayList<>();
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#") || line.isEmpty()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (header == null) {
                    header = f;
                } else {
                    rows.add(f);
                }
            }
            if (header == null) {
                throw new IllegalStateException("resource " + resource + " has no header row");
            }
            return new Rows(header, rows);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
