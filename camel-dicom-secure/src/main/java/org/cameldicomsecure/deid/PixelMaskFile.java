package org.cameldicomsecure.deid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads {@link PixelMask}s from a text file: one mask per line, fields separated by {@code ;}, each
 * {@code name=value}; blank lines and lines starting with {@code #} are ignored.
 *
 * <pre>
 * # ultrasound of one vendor: the top banner and the lower left corner
 * modality=US; manufacturer=ACME Medical; rows=480; columns=640; region=0,0,640,60; region=0,420,200,60
 * # every 512 x 512 CT: the top 30 rows
 * modality=CT; rows=512; columns=512; region=0,0,512,30
 * </pre>
 *
 * <p>{@code modality}, {@code manufacturer}, {@code rows} and {@code columns} are optional (absent = any);
 * {@code region=x,y,width,height} (pixels, 0-based, x = column) may repeat and is required at least once.
 */
public final class PixelMaskFile {

    private PixelMaskFile() {
    }

    /** The masks of {@code file}; errors name the file and line. */
    public static List<PixelMask> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<PixelMask> masks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                masks.add(parse(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("pixel mask file " + file + " line " + (i + 1) + ": "
                        + e.getMessage(), e);
            }
        }
        return masks;
    }

    /** One line: {@code modality=..; manufacturer=..; rows=..; columns=..; region=x,y,w,h; ...}. */
    public static PixelMask parse(String line) {
        String modality = null;
        String manufacturer = null;
        Integer rows = null;
        Integer columns = null;
        List<PixelMask.Rect> regions = new ArrayList<>();
        for (String field : line.split(";")) {
            String f = field.strip();
            if (f.isEmpty()) {
                continue;
            }
            int eq = f.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + f + "' is not name=value");
            }
            String name = f.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = f.substring(eq + 1).strip();
            switch (name) {
                case "modality" -> modality = value;
                case "manufacturer" -> manufacturer = value;
                case "rows" -> rows = number(name, value);
                case "columns" -> columns = number(name, value);
                case "region" -> {
                    String[] p = value.split(",");
                    if (p.length != 4) {
                        throw new IllegalArgumentException("region must be x,y,width,height, not '" + value + "'");
                    }
                    regions.add(new PixelMask.Rect(number("x", p[0]), number("y", p[1]), number("width", p[2]),
                            number("height", p[3])));
                }
                default -> throw new IllegalArgumentException("unknown field '" + name
                        + "' (modality, manufacturer, rows, columns, region)");
            }
        }
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("a mask needs at least one region=x,y,width,height");
        }
        return new PixelMask(modality, manufacturer, rows, columns, regions);
    }

    private static int number(String name, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'");
        }
    }
}
