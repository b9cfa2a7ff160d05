package org.cameldicomsecure.deid;

import java.util.List;
import java.util.Objects;

/**
 * Regions of the image to black out (stored values set to 0) under the Clean Pixel Data Option, for the images it
 * matches. A {@code null} criterion matches anything; modality and manufacturer compare without regard to case and to
 * leading and trailing spaces.
 *
 * @param modality     Modality (0008,0060) to match, or {@code null}
 * @param manufacturer Manufacturer (0008,0070) to match, or {@code null}
 * @param rows         Rows (0028,0010) to match, or {@code null}
 * @param columns      Columns (0028,0011) to match, or {@code null}
 * @param regions      the rectangles to clear, in pixel coordinates (x = column, y = row, 0-based); clipped to the image
 */
public record PixelMask(String modality, String manufacturer, Integer rows, Integer columns, List<Rect> regions) {

    public PixelMask {
        regions = List.copyOf(Objects.requireNonNull(regions, "regions"));
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("a pixel mask needs at least one region");
        }
    }

    /** Whether this mask applies to an image with these attributes ({@code null} for an absent attribute). */
    public boolean matches(String imageModality, String imageManufacturer, int imageRows, int imageColumns) {
        return same(modality, imageModality) && same(manufacturer, imageManufacturer)
                && (rows == null || rows == imageRows) && (columns == null || columns == imageColumns);
    }

    private static boolean same(String wanted, String actual) {
        return wanted == null || (actual != null && wanted.trim().equalsIgnoreCase(actual.trim()));
    }

    /**
     * A rectangle of pixels.
     *
     * @param x      first column (0-based)
     * @param y      first row (0-based)
     * @param width  number of columns, at least 1
     * @param height number of rows, at least 1
     */
    public record Rect(int x, int y, int width, int height) {
        public Rect {
            if (x < 0 || y < 0 || width < 1 || height < 1) {
                throw new IllegalArgumentException("bad rectangle " + x + "," + y + " " + width + "x" + height);
            }
        }
    }
}
