package org.cameldicomsecure.web.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.DicomFile;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.UidSyntax;
import org.cameldicomsecure.dicom.io.DicomParseException;
import org.cameldicomsecure.dicom.io.DicomReader;
import org.cameldicomsecure.dicom.io.DicomReaderOptions;
import org.cameldicomsecure.dicom.io.TempFiles;
import org.cameldicomsecure.web.StowResponse;
import org.cameldicomsecure.web.multipart.MultipartFormatException;
import org.cameldicomsecure.web.multipart.MultipartRelatedReader;

/**
 * One STOW-RS request on a worker thread: reads the multipart body from the bridge, keeps every part (memory or
 * temporary file), validates each (media type, PS3.10 parse, UIDs, study of the URL), and only then calls the
 * handler for every instance; answers the Store Instances Response (PS3.18 Annex I) as JSON or XML.
 */
final class StowProcessor {

    static final String APPLICATION_DICOM = "application/dicom";
    static final String DICOM_JSON = "application/dicom+json";
    static final String DICOM_XML = "application/dicom+xml";
    private static final int CHUNK = 64 * 1024;

    private final HttpConnection conn;
    private final HttpConnection.Exchange ex;
    private final DicomWebServer.Options options;
    private final DicomReader reader;

    StowProcessor(HttpConnection conn, HttpConnection.Exchange ex) {
        this.conn = conn;
        this.ex = ex;
        this.options = conn.server().options();
        DicomReaderOptions ro = DicomReaderOptions.DEFAULT.withBulkDataThreshold(64 * 1024);
        if (options.tempDirectory != null) {
            ro = ro.withSpillDirectory(options.tempDirectory);
        }
        this.reader = new DicomReader(ro);
    }

    /** A refusal of the whole request. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    void run() {
        String responseType;
        try {
            responseType = responseMediaType();
        } catch (Refused r) {
            conn.refuse(ex, r.status, r.getMessage(), Map.of());
            return;
        }
        List<StowInstance> instances = new ArrayList<>();
        try {
            receive(instances);
        } catch (Refused r) {
            closeAll(instances);
            conn.refuse(ex, r.status, r.getMessage(), Map.of());
            return;
        } catch (MultipartFormatException e) {
            closeAll(instances);
            conn.refuse(ex, 400, "multipart body: " + e.getMessage(), Map.of());
            return;
        } catch (IOException | RuntimeException e) {
            closeAll(instances);
            ex.body.close();
            // the connection broke, timed out or went over the limit (then already answered): close it
            conn.refuseAndClose(ex, 400, "request body could not be read: " + e.getMessage());
            return;
        } finally {
            ex.body.close();
        }
        WebRequest request = ex.webRequest;
        HttpConnection.safe(() -> options.listener.instancesReceived(request, List.copyOf(instances)));
        StowHandler handler = (StowHandler) ex.binding.handler();
        List<CompletableFuture<InstanceOutcome>> stages = new ArrayList<>(instances.size());
        for (StowInstance inst : instances) {
            CompletableFuture<InstanceOutcome> f;
            try {
                CompletionStage<InstanceOutcome> s = handler.store(request, inst);
                f = s == null ? CompletableFuture.failedFuture(new IllegalStateException("handler returned null"))
                        : s.toCompletableFuture();
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            CompletableFuture<InstanceOutcome> outcome = f.copy()
                    .orTimeout(options.handlerTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .handle((o, t) -> t != null || o == null ? failure(t) : o)
                    .whenComplete((o, t) -> inst.close());
            stages.add(outcome);
        }
        CompletableFuture.allOf(stages.toArray(new CompletableFuture<?>[0])).whenComplete((v, t) -> {
            List<InstanceOutcome> outcomes = new ArrayList<>(stages.size());
            for (CompletableFuture<InstanceOutcome> s : stages) {
                outcomes.add(s.getNow(InstanceOutcome.failed(InstanceOutcome.PROCESSING_FAILURE)));
            }
            respond(request, instances, outcomes, responseType);
        });
    }

    private static InstanceOutcome failure(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (c instanceof TimeoutException) {
            return InstanceOutcome.failed(InstanceOutcome.OUT_OF_RESOURCES); // Refused: out of resources (no answer in time)
        }
        return InstanceOutcome.failed(InstanceOutcome.PROCESSING_FAILURE);
    }

    private String responseMediaType() throws Refused {
        var ranges = HttpConnection.acceptRanges(ex.request);
        if (ranges.isEmpty()) {
            return DICOM_JSON;
        }
        for (var r : ranges) {
            String t = r.getKey();
            if (t.equals(DICOM_JSON) || t.equals("application/json") || t.equals("*/*")
                    || t.equals("application/*")) {
                return DICOM_JSON;
            }
            if (t.equals(DICOM_XML)) {
                return DICOM_XML;
            }
            if (t.equals("multipart/related") && DICOM_XML.equals(lower(r.getValue().get("type")))) {
                return DICOM_XML; // PS3.18 (older editions): multipart/related; type="application/dicom+xml"
            }
        }
        throw new Refused(406, "STOW-RS responses are application/dicom+json or application/dicom+xml");
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private void receive(List<StowInstance> instances) throws IOException, Refused {
        String contentType = ex.request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (contentType == null) {
            throw new Refused(415, "no Content-Type: STOW-RS takes multipart/related; type=\"application/dicom\"");
        }
        String media = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!media.equals("multipart/related")) {
            throw new Refused(415, "Content-Type " + Route.safe(media)
                    + " not supported: STOW-RS takes multipart/related; type=\"application/dicom\"");
        }
        MultipartRelatedReader mp = MultipartRelatedReader.open(ex.body, contentType);
        String type = mp.type();
        if (type != null && !type.strip().toLowerCase(Locale.ROOT).equals(APPLICATION_DICOM)) {
            throw new Refused(415, "multipart/related type " + Route.safe(type)
                    + " not supported (application/dicom only)");
        }
        long memoryLeft = options.requestMemoryBudget;
        String urlStudy = ex.webRequest.studyInstanceUid();
        MultipartRelatedReader.Part part;
        while ((part = mp.next()) != null) {
            int n = part.number();
            String pt = part.mediaType();
            if (!APPLICATION_DICOM.equals(pt)) {
                throw new Refused(415, "part " + n + " has media type " + (pt == null ? "(none)" : Route.safe(pt))
                        + ", not application/dicom");
            }
            StowInstance inst = keep(n, part.body(), memoryLeft);
            instances.add(inst);
            if (inst.inMemory()) {
                memoryLeft -= inst.length();
            }
            if (urlStudy != null && !urlStudy.equals(inst.studyInstanceUid())) {
                throw new Refused(409, "part " + n + " belongs to another study than the {study} of the URL");
            }
        }
        if (instances.isEmpty()) {
            throw new Refused(400, "the multipart body has no parts");
        }
        // the epilogue, if any, up to the end of the request
        byte[] skip = new byte[CHUNK];
        while (ex.body.read(skip, 0, skip.length) >= 0) {
            // discard
        }
    }

    /** Reads one part to memory or a temporary file and validates it. */
    private StowInstance keep(int n, InputStream in, long memoryLeft) throws IOException, Refused {
        int threshold = (int) Math.min(options.partMemoryThreshold, Math.max(0, memoryLeft));
        List<byte[]> chunks = new ArrayList<>();
        long total = 0;
        byte[] cur = new byte[CHUNK];
        int pos = 0;
        Path file = null;
        Runnable deleter = null;
        OutputStream fileOut = null;
        try {
            while (true) {
                int r = in.read(cur, pos, cur.length - pos);
                if (r < 0) {
                    break;
                }
                pos += r;
                total += r;
                if (pos == cur.length) {
                    if (fileOut != null) {
                        fileOut.write(cur, 0, pos);
                    } else {
                        chunks.add(cur);
                        cur = new byte[CHUNK];
                    }
                    pos = 0;
                }
                if (fileOut == null && total > threshold) {
                    file = options.tempDirectory == null ? Files.createTempFile("dicomweb-stow-", ".dcm")
                            : Files.createTempFile(options.tempDirectory, "dicomweb-stow-", ".dcm");
                    deleter = TempFiles.register(file);
                    fileOut = Files.newOutputStream(file);
                    for (byte[] c : chunks) {
                        fileOut.write(c);
                    }
                    chunks.clear();
                    if (pos > 0) {
                        fileOut.write(cur, 0, pos);
                        pos = 0;
                    }
                }
            }
            if (fileOut != null) {
                if (pos > 0) {
                    fileOut.write(cur, 0, pos);
                }
                fileOut.close();
                fileOut = null;
            }
        } catch (IOException | RuntimeException e) {
            if (fileOut != null) {
                try {
                    fileOut.close();
                } catch (IOException ignored) {
                    // deleted below
                }
            }
            if (deleter != null) {
                deleter.run();
            }
            throw e;
        }
        byte[] bytes = null;
        if (file == null) {
            if (total > Integer.MAX_VALUE - 16) {
                throw new Refused(413, "part " + n + " is too large to hold in memory");
            }
            bytes = new byte[(int) total];
            int off = 0;
            for (byte[] c : chunks) {
                System.arraycopy(c, 0, bytes, off, c.length);
                off += c.length;
            }
            System.arraycopy(cur, 0, bytes, off, pos);
        }
        try {
            return validate(n, bytes, file, deleter, total);
        } catch (Refused | RuntimeException e) {
            if (deleter != null) {
                deleter.run();
            }
            throw e;
        }
    }

    private StowInstance validate(int n, byte[] bytes, Path file, Runnable deleter, long length) throws Refused {
        if (length == 0) {
            throw new Refused(400, "part " + n + " is empty");
        }
        DicomFile df;
        try {
            df = bytes != null ? reader.read(bytes) : reader.read(file);
        } catch (DicomParseException e) {
            throw new Refused(400, "part " + n + " is not a valid DICOM file: " + e.getMessage());
        } catch (IOException e) {
            throw new Refused(400, "part " + n + " cannot be read as a DICOM file: " + e.getMessage());
        }
        if (!df.isPart10() || df.fileMeta() == null) {
            throw new Refused(400, "part " + n + " is not a PS3.10 file (no preamble, DICM prefix and File Meta"
                    + " Information)");
        }
        Dataset ds = df.dataset();
        Dataset meta = df.fileMeta();
        String ts = uid(meta, Tag.TransferSyntaxUID);
        String sopClass = uid(ds, Tag.SOPClassUID);
        String sopInstance = uid(ds, Tag.SOPInstanceUID);
        String study = uid(ds, Tag.StudyInstanceUID);
        String series = uid(ds, Tag.SeriesInstanceUID);
        String missing = ts == null ? "Transfer Syntax UID (0002,0010)"
                : sopClass == null ? "SOP Class UID (0008,0016)"
                        : sopInstance == null ? "SOP Instance UID (0008,0018)"
                                : study == null ? "Study Instance UID (0020,000D)"
                                        : series == null ? "Series Instance UID (0020,000E)" : null;
        if (missing != null) {
            throw new Refused(400, "part " + n + " has no valid " + missing);
        }
        return new StowInstance(n, df, bytes, file, deleter, length, sopClass, sopInstance, study, series, ts);
    }

    private static String uid(Dataset ds, int tag) {
        String v;
        try {
            v = ds.getString(tag);
        } catch (RuntimeException e) {
            return null;
        }
        if (v == null) {
            return null;
        }
        v = v.strip();
        while (v.endsWith("\0")) {
            v = v.substring(0, v.length() - 1);
        }
        return v.isEmpty() || v.length() > 64 || !UidSyntax.isValid(v) ? null : v;
    }

    private static void closeAll(List<StowInstance> instances) {
        instances.forEach(StowInstance::close);
    }

    private void respond(WebRequest request, List<StowInstance> instances, List<InstanceOutcome> outcomes,
            String responseType) {
        int stored = 0;
        int warnings = 0;
        for (InstanceOutcome o : outcomes) {
            if (o.isStored()) {
                stored++;
                if (o.isWarning()) {
                    warnings++;
                }
            }
        }
        // PS3.18 Table 10.5.3-1: 200 all stored; 202 some stored with warnings or failures; 409 none stored
        int status = stored == 0 ? 409 : stored == outcomes.size() && warnings == 0 ? 200 : 202;
        ByteBuf out = Unpooled.buffer(1024 + 512 * instances.size());
        try (ByteBufOutputStream os = new ByteBufOutputStream(out)) {
            StowResponse r = response(request, instances, outcomes);
            if (responseType.equals(DICOM_XML)) {
                r.toXml(os);
            } else {
                r.toJson(os);
            }
        } catch (IOException | RuntimeException e) {
            out.release();
            HttpConnection.safe(() -> options.listener.failed(request, 500, "STOW response not written: " + e));
            conn.sendText(ex, 500, "STOW response could not be written", Map.of(), false);
            return;
        }
        HttpConnection.safe(() -> options.listener.stowCompleted(request, List.copyOf(instances),
                List.copyOf(outcomes), status));
        conn.sendFull(ex, status, responseType, out, Map.of(), false);
    }

    /** The Store Instances Response Module (PS3.18 Table I.1-1) with Retrieve URLs (§10.4.1). */
    static StowResponse response(WebRequest request, List<StowInstance> instances, List<InstanceOutcome> outcomes) {
        String base = request.baseUrl();
        StowResponse.Builder b = StowResponse.builder();
        String study = request.studyInstanceUid();
        if (study == null && !instances.isEmpty()) {
            String first = instances.get(0).studyInstanceUid();
            if (instances.stream().allMatch(i -> first.equals(i.studyInstanceUid()))) {
                study = first;
            }
        }
        if (study != null) {
            b.retrieveUrl(base + "/studies/" + study);
        }
        for (int i = 0; i < instances.size(); i++) {
            StowInstance inst = instances.get(i);
            InstanceOutcome o = outcomes.get(i);
            if (o.isStored()) {
                String url = base + "/studies/" + inst.studyInstanceUid() + "/series/" + inst.seriesInstanceUid()
                        + "/instances/" + inst.sopInstanceUid();
                b.stored(inst.sopClassUid(), inst.sopInstanceUid(), url, o.isWarning() ? o.reason() : null);
            } else {
                b.failed(inst.sopClassUid(), inst.sopInstanceUid(), o.reason());
            }
        }
        return b.build();
    }
}
