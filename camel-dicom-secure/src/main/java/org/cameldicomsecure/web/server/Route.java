package org.cameldicomsecure.web.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.cameldicomsecure.dicom.UidSyntax;
import org.cameldicomsecure.web.QidoLevel;

/**
 * The resource a request path names (PS3.18 §10.4.1, §10.5.1, §10.6.1), relative to the base path: which operation
 * each method maps to and the UIDs of the path.
 */
final class Route {

    final Map<String, DicomWebOperation> methods;
    final QidoLevel qidoLevel;
    final String study;
    final String series;
    final String instance;
    /** Why the path names no resource (404), or a bad UID (400); null if it names one. */
    final String problem;
    final int problemStatus;

    private Route(Map<String, DicomWebOperation> methods, QidoLevel qidoLevel, String study, String series,
            String instance, String problem, int problemStatus) {
        this.methods = methods;
        this.qidoLevel = qidoLevel;
        this.study = study;
        this.series = series;
        this.instance = instance;
        this.problem = problem;
        this.problemStatus = problemStatus;
    }

    private static Route notFound(String why) {
        return new Route(Map.of(), null, null, null, null, why, 404);
    }

    private static Route of(Map<String, DicomWebOperation> methods, QidoLevel level, String study, String series,
            String instance) {
        for (String[] uid : new String[][] {{"study", study}, {"series", series}, {"instance", instance}}) {
            if (uid[1] != null && (uid[1].length() > 64 || !UidSyntax.isValid(uid[1]))) {
                return new Route(Map.of(), null, null, null, null, "the " + uid[0] + " UID of the path is not a UID",
                        400);
            }
        }
        return new Route(methods, level, study, series, instance, null, 0);
    }

    /** @param decodedPath the request path, decoded, without the query */
    static Route parse(String basePath, String decodedPath) {
        String p = decodedPath;
        if (!basePath.isEmpty()) {
            if (!p.equals(basePath) && !p.startsWith(basePath + "/")) {
                return notFound("outside the service root " + basePath);
            }
            p = p.substring(basePath.length());
        }
        List<String> seg = new ArrayList<>();
        for (String s : p.split("/")) {
            if (!s.isEmpty()) {
                seg.add(s);
            }
        }
        int n = seg.size();
        if (n == 0) {
            return notFound("the service root is not a resource");
        }
        String s0 = seg.get(0);
        if (n == 1) {
            return switch (s0) {
                case "studies" -> of(map("POST", DicomWebOperation.STOW, "GET", DicomWebOperation.QIDO),
                        QidoLevel.STUDY, null, null, null);
                case "series" -> of(map("GET", DicomWebOperation.QIDO), QidoLevel.SERIES, null, null, null);
                case "instances" -> of(map("GET", DicomWebOperation.QIDO), QidoLevel.INSTANCE, null, null, null);
                default -> notFound("no such resource");
            };
        }
        if (!s0.equals("studies")) {
            return notFound("no such resource");
        }
        String study = seg.get(1);
        if (n == 2) {
            return of(map("POST", DicomWebOperation.STOW, "GET", DicomWebOperation.WADO), null, study, null, null);
        }
        String s2 = seg.get(2);
        if (n == 3) {
            return switch (s2) {
                case "series" -> of(map("GET", DicomWebOperation.QIDO), QidoLevel.SERIES, study, null, null);
                case "instances" -> of(map("GET", DicomWebOperation.QIDO), QidoLevel.INSTANCE, study, null, null);
                default -> notFound("resource not served (" + safe(s2) + ")");
            };
        }
        if (!s2.equals("series")) {
            return notFound("no such resource");
        }
        String series = seg.get(3);
        if (n == 4) {
            return of(map("GET", DicomWebOperation.WADO), null, study, series, null);
        }
        String s4 = seg.get(4);
        if (!s4.equals("instances")) {
            return notFound("resource not served (" + safe(s4) + ")");
        }
        if (n == 5) {
            return of(map("GET", DicomWebOperation.QIDO), QidoLevel.INSTANCE, study, series, null);
        }
        if (n == 6) {
            return of(map("GET", DicomWebOperation.WADO), null, study, series, seg.get(5));
        }
        return notFound("resource not served (" + safe(seg.get(6)) + ")");
    }

    private static Map<String, DicomWebOperation> map(Object... kv) {
        Map<String, DicomWebOperation> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (DicomWebOperation) kv[i + 1]);
        }
        return m;
    }

    static String safe(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 40; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return b.toString();
    }
}
