package org.cameldicomsecure.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parse and write throughput of our codec on the {@link BenchData} instances, in operations (whole files) per
 * second. Multiply by the file size ({@code bytesPerOp} is printed at set-up; run-vs-dcmtk.sh does it) for MB/s.
 *
 * <ul>
 * <li>{@code readBytes}: {@link DicomReader#read(byte[])} of the file held in memory;</li>
 * <li>{@code readPath}: {@link DicomReader#read(Path)} (file in the page cache, as for DCMTK);</li>
 * <li>{@code writeBytes}: {@link DicomWriter#toBytes} of the parsed file;</li>
 * <li>{@code convertFile}: read the file and write it to another file, what DCMTK's {@code dcmconv} does.</li>
 * </ul>
 * The reader and writer use their defaults (1 MiB bulk-data threshold: the 512 KiB pixel data is loaded).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

    @Param({"CT", "METADATA"})
    public BenchData.Kind kind;

    /** Folder with the files from {@link GenerateFiles}; empty to generate them into a temporary folder. */
    @Param({""})
    public String dataDir;

    private final DicomReader reader = new DicomReader();
    private final DicomWriter writer = new DicomWriter();
    private Path tempDir;
    private Path file;
    private Path out;
    private byte[] bytes;
    private DicomFile parsed;

    @Setup
    public void setUp() throws IOException {
        // out.dcm goes next to the input (run-vs-dcmtk.sh puts both on tmpfs, where DCMTK writes too)
        tempDir = dataDir.isEmpty()
                ? Files.createTempDirectory("cds-bench-")
                : Files.createTempDirectory(Path.of(dataDir), "jmh-");
        Path dir = dataDir.isEmpty() ? tempDir : Path.of(dataDir);
        if (dataDir.isEmpty()) {
            GenerateFiles.write(dir);
        }
        file = dir.resolve(kind.fileName());
        out = tempDir.resolve("out.dcm");
        bytes = Files.readAllBytes(file);
        parsed = reader.read(bytes);
        System.out.println("bytesPerOp " + kind + " " + bytes.length);
    }

    @TearDown
    public void tearDown() throws IOException {
        try (var files = Files.list(tempDir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(tempDir);
    }

    @Benchmark
    public DicomFile readBytes() throws IOException {
        return reader.read(bytes);
    }

    @Benchmark
    public DicomFile readPath() throws IOException {
        return reader.read(file);
    }

    @Benchmark
    public byte[] writeBytes() throws IOException {
        return writer.toBytes(parsed);
    }

    @Benchmark
    public Path convertFile() throws IOException {
        writer.write(reader.read(file), out);
        return out;
    }
}
