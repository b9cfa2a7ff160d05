package org.cameldicomsecure.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What a set of files looked like (modification time, size, and the file key, which changes when a file is replaced
 * by a rename): one {@code stat} per file, cheap enough to check at every new connection.
 */
public record FileStamps(List<Stamp> stamps) {

    public record Stamp(Path path, FileTime modified, long size, Object fileKey) {
    }

    /** The stamps of {@code files} now; a file that cannot be read gets an empty stamp. */
    public static FileStamps of(List<Path> files) {
        List<Stamp> list = new ArrayList<>(files.size());
        for (Path p : files) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                list.add(new Stamp(p, a.lastModifiedTime(), a.size(), a.fileKey()));
            } catch (IOException e) {
                list.add(new Stamp(p, null, -1, null));
            }
        }
        return new FileStamps(List.copyOf(list));
    }
}
