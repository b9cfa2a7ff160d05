package org.cameldicomsecure.audit.web;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.cameldicomsecure.audit.ActiveParticipant;
import org.cameldicomsecure.audit.AuditCodes;
import org.cameldicomsecure.audit.AuditMessage;
import org.cameldicomsecure.audit.AuditMessages;
import org.cameldicomsecure.audit.AuditSourceIdentification;
import org.cameldicomsecure.audit.EventActionCode;
import org.cameldicomsecure.audit.NetworkAccessPointType;
import org.cameldicomsecure.audit.ParticipantObjectTypeCodeRole;
import org.cameldicomsecure.audit.ParticipantSlot;
import org.cameldicomsecure.audit.Participants;
import org.cameldicomsecure.audit.Patient;
import org.cameldicomsecure.audit.Study;
import org.cameldicomsecure.audit.dimse.DimseAuditor.InstanceFacts;
import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.web.QidoLevel;
import org.cameldicomsecure.web.server.DicomWebListener;
import org.cameldicomsecure.web.server.DicomWebOperation;
import org.cameldicomsecure.web.server.InstanceOutcome;
import org.cameldicomsecure.web.server.QidoQuery;
import org.cameldicomsecure.web.server.StowInstance;
import org.cameldicomsecure.web.server.WadoQuery;
import org.cameldicomsecure.web.server.WebRequest;

/**
 * Automatic auditing of DICOMweb (PS3.15 A.5.3), for the origin server (as its {@link DicomWebListener}) and for the
 * user agent (the methods named {@code stow…}, {@code retrieved}, {@code queried} with a {@link URI}).
 *
 * <h2>Participants</h2>
 * <ul>
 * <li>This application: UserID the local process name; on the server its NetworkAccessPoint is the service's base URL
 * (NetworkAccessPointTypeCode 5 = URI), on the client this node's host name or address (type 1 or 2).</li>
 * <li>The remote origin server (client side): UserID and NetworkAccessPointID its base URL (type 5).</li>
 * <li>The remote user agent (server side): UserID and NetworkAccessPointID its IP address (type 2); UserName the
 * subject of its TLS client certificate, if any.</li>
 * <li>The authenticated principal (the subject of the bearer token) as a person: UserID the principal,
 * NetworkAccessPoint the client's IP address; it is the requestor (UserIsRequestor true) and, in a transfer or query,
 * one of the "other participants" (A.5.3.3, A.5.3.7, A.5.3.10). Without a principal the remote node is the
 * requestor; on the client side this application is.</li>
 * </ul>
 *
 * <h2>Events</h2>
 * <ul>
 * <li>STOW-RS (server): Begin Transferring DICOM Instances (A.5.3.3) per study and patient when every part was
 * received and validated; DICOM Instances Transferred (A.5.3.7) per study and patient when the request was answered:
 * one message with outcome 0 for the instances the route stored, another with outcome 8 for those it did not (A.5.2:
 * no mixed results), its EventOutcomeDescription naming the Failure Reasons. EventActionCode R: a gateway does not know
 * whether the receiver already held the instances (A.5.3.7). Encrypted is true over HTTPS.</li>
 * <li>WADO-RS (server): the handler reports what it serves with {@link #serving}, which emits Begin Transferring; when
 * the response was sent, DICOM Instances Transferred with this application as the source (outcome 8 and the number
 * sent when the transfer broke off). The listener event alone only counts instances; it cannot name study and
 * patient, which A.5.3.7 requires.</li>
 * <li>QIDO-RS (server and client): Query (A.5.3.10). A QIDO-RS query is a URL, not a DICOM query data set, so the
 * query object is the "non-DICOM query" of A.5.3.10 (its second note): ParticipantObjectIDTypeCode (12, RFC-3881,
 * "URI"), ParticipantObjectID the URL of the searched resource without its query component, ParticipantObjectQuery
 * the query component as sent (the query "in the format of the protocol used"), and no TransferSyntax detail (it is
 * required only for ID type (110181, DCM, "SOP Class UID") and must name a DICOM transfer syntax, which a URL query
 * does not have).</li>
 * <li>401 (no, or an invalid, bearer token): User Authentication (A.5.3.12), Login, outcome 4, the person "unknown"
 * (the token's subject is not trusted, the token itself never recorded), the reason as EventOutcomeDescription.</li>
 * <li>403 (valid token lacking a required scope): the user was authenticated, but refused a function: Security Alert
 * (A.5.3.11) with EventTypeCode (110132, DCM, "Use of Restricted Function") and outcome 4 (the refusal was the
 * effective mitigation), this application as the reporting process, the principal as the performing person
 * (UserIsRequestor false, as A.5.3.11 requires), the requested URL as alert subject (ID type 12 URI) with the reason
 * as Alert Description. A.5.3.10 itself says access violations go to a Security Alert.</li>
 * <li>Successful authentication: User Authentication, Login, outcome 0, at most once per principal and client IP
 * address per {@code loginInterval} (default one hour): bearer-token requests have no session, and a Login per request
 * would flood the trail. HTTP has no logout, so there is no Logout message.</li>
 * <li>Other refusals (400, 404, 405, 406, 413, 415, 409 of a body that failed validation) are not audited: no
 * instance reached the route and no security decision was involved.</li>
 * </ul>
 * Methods run on server threads: they build the message and hand it to the sink, which must not block. A message that
 * cannot be built (e.g. an instance without Patient ID) is reported to {@code errors}, never thrown. No token, and no
 * patient data, is ever in an error message.
 */
public final class WebAuditor implements DicomWebListener {

    /** The default of {@code loginInterval}. */
    public static final Duration DEFAULT_LOGIN_INTERVAL = Duration.ofHours(1);

    /** Principals and addresses remembered for the login interval; beyond, the least recently seen are forgotten. */
    static final int MAX_REMEMBERED_LOGINS = 10_000;

    /** A request's pending audit data is dropped when its end is not reported within this time. */
    static final Duration PENDING_TIMEOUT = Duration.ofHours(1);

    private record StudyKey(String studyUid, String patientId, boolean stored) {
    }

    /** The instances of one study and patient with one outcome. */
    private static final class Group {
        final Study.Builder study;
        final String patientName;
        final Set<Integer> reasons = new TreeSet<>();
        int warnings;

        Group(String studyUid, String patientName, boolean encrypted) {
            this.study = Study.builder(studyUid).encrypted(encrypted);
            this.patientName = patientName;
        }
    }

    /** What a request left to audit when it ends. */
    private static final class Pending {
        final Instant since;
        final List<InstanceFacts> facts;
        final List<StowInstance> instances;
        String failure;

        Pending(Instant since, List<InstanceFacts> facts, List<StowInstance> instances) {
            this.since = since;
            this.facts = facts;
            this.instances = instances;
        }
    }

    private final AuditSourceIdentification source;
    private final String localProcess;
    private final String localHost;
    private final ZoneId zone;
    private final boolean includeInstanceUids;
    private final Duration loginInterval;
    private final Clock clock;
    private final Consumer<AuditMessage> sink;
    private final Consumer<RuntimeException> errors;

    /** StowInstance → its facts, from instancesReceived to stowCompleted (the instance may be closed by then). */
    private final Map<StowInstance, InstanceFacts> stowFacts = Collections.synchronizedMap(new IdentityHashMap<>());
    private final Map<WebRequest, Deque<Pending>> stows = new HashMap<>();
    private final Map<WebRequest, Deque<Pending>> wados = new HashMap<>();
    private final Map<String, Instant> logins = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > MAX_REMEMBERED_LOGINS;
        }
    };
    private Instant lastSweep;

    /**
     * @param source              the AuditSourceIdentification of every message
     * @param localProcess        the UserID of this application (a process name of the local logs)
     * @param localHost           this node's host name or address, or null (the client side's NetworkAccessPoint,
     *                            and the server's when a request has no base URL)
     * @param zone                the time zone of EventDateTime
     * @param includeInstanceUids whether DICOM Instances Transferred lists the SOP Instance UIDs (A.5.2: usually not)
     * @param sink                receives the messages; must not block
     * @param errors              receives a message that could not be built (a bug or missing data), never thrown
     */
    public WebAuditor(AuditSourceIdentification source, String localProcess, String localHost, ZoneId zone,
            boolean includeInstanceUids, Consumer<AuditMessage> sink, Consumer<RuntimeException> errors) {
        this(source, localProcess, localHost, zone, includeInstanceUids, DEFAULT_LOGIN_INTERVAL, Clock.systemUTC(),
                sink, errors);
    }

    /**
     * @param loginInterval a successful authentication of the same principal from the same IP address is audited
     *                      again only after this long (positive)
     * @param clock         the time source of EventDateTime and of the login interval
     */
    public WebAuditor(AuditSourceIdentification source, String localProcess, String localHost, ZoneId zone,
            boolean includeInstanceUids, Duration loginInterval, Clock clock, Consumer<AuditMessage> sink,
            Consumer<RuntimeException> errors) {
        this.source = Objects.requireNonNull(source, "source");
        this.localProcess = Objects.requireNonNull(localProcess, "localProcess");
        this.localHost = localHost;
        this.zone = Objects.requireNonNull(zone, "zone");
        this.includeInstanceUids = includeInstanceUids;
        this.loginInterval = Objects.requireNonNull(loginInterval, "loginInterval");
        if (loginInterval.isNegative() || loginInterval.isZero()) {
            throw new IllegalArgumentException("loginInterval must be positive, not " + loginInterval);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.lastSweep = clock.instant();
    }

    /** What the auditor needs of a data set: its UIDs, study and patient. */
    public static InstanceFacts facts(Dataset ds) {
        return InstanceFacts.of(ds);
    }

    // ------------------------------------------------------------------ origin server: authentication

    @Override
    public void authenticated(WebRequest request) {
        if (request.principal() == null) {
            return;
        }
        String ip = address(request.remoteAddress());
        String key = request.principal() + '\u0000' + ip;
        Instant now = clock.instant();
        synchronized (logins) {
            Instant last = logins.get(key);
            if (last != null && now.isBefore(last.plus(loginInterval))) {
                return;
            }
            logins.put(key, now);
        }
        emit(() -> authentication(request.principal(), request, 0, null));
    }

    @Override
    public void refused(WebRequest request, int httpStatus, String reason) {
        if (httpStatus == 401) {
            authenticationFailed(request, httpStatus, reason);
        } else if (httpStatus == 403) {
            emit(() -> restrictedFunction(request, reason));
        }
    }

    /**
     * A request's credentials were refused (a missing, malformed or invalid bearer token: 400 {@code
     * invalid_request} or 401): User Authentication, Login, outcome 4. {@link #refused} calls it for a 401; a server
     * that tells authentication refusals apart may call it for every one.
     */
    public void authenticationFailed(WebRequest request, int httpStatus, String reason) {
        emit(() -> authentication("unknown", request, 4, reason != null && !reason.isBlank() ? reason
                : "request refused with HTTP " + httpStatus));
    }

    /**
     * A TLS handshake with a user agent failed (protocol, cipher or certificate refused): Security Alert, (110126,
     * DCM, "Node Authentication"), outcome 4, the peer's address as alert subject.
     */
    public void tlsFailed(SocketAddress peer, String why) {
        emit(() -> {
            String node = peer instanceof InetSocketAddress i ? address(i) : null;
            return AuditMessages.securityAlert().eventTypeCode(AuditCodes.TYPE_NODE_AUTHENTICATION)
                    .user(Participants.application(localProcess, List.of(), localHost).requestor(false))
                    .alertSubjectNode(node != null ? node : "unknown", "DICOMweb TLS handshake failed: " + why)
                    .eventDateTime(now()).outcome(4).auditSource(source).build();
        });
    }

    // ------------------------------------------------------------------ origin server: STOW-RS

    @Override
    public void instancesReceived(WebRequest request, List<StowInstance> instances) {
        List<InstanceFacts> facts = new ArrayList<>(instances.size());
        for (StowInstance i : instances) {
            InstanceFacts f = stowInstanceFacts(i);
            stowFacts.put(i, f);
            facts.add(f);
        }
        pend(stows, request, facts, List.copyOf(instances));
        Map<String, InstanceFacts> begun = new LinkedHashMap<>();
        for (InstanceFacts f : facts) {
            if (auditable(f, "received with STOW-RS")) {
                begun.putIfAbsent(f.studyInstanceUid() + '\u0000' + f.patientId(), f);
            }
        }
        Sides sides = serverSides(request, false);
        for (InstanceFacts f : begun.values()) {
            emit(() -> begin(sides, f));
        }
    }

    @Override
    public void stowCompleted(WebRequest request, List<StowInstance> instances, List<InstanceOutcome> outcomes,
            int httpStatus) {
        take(stows, request);
        if (instances.size() != outcomes.size()) {
            errors.accept(new IllegalArgumentException("STOW-RS completed with " + instances.size() + " instances but "
                    + outcomes.size() + " outcomes: not audited"));
            instances.forEach(stowFacts::remove);
            return;
        }
        Map<StudyKey, Group> groups = new LinkedHashMap<>();
        for (int i = 0; i < instances.size(); i++) {
            InstanceFacts f = stowFacts.remove(instances.get(i));
            if (f == null) {
                f = stowInstanceFacts(instances.get(i));
            }
            if (!isBlank(f.studyInstanceUid()) && !isBlank(f.patientId())) {
                InstanceOutcome o = outcomes.get(i);
                Group g = add(groups, f, o.isStored(), request.secure());
                if (o.isStored() && o.isWarning()) {
                    g.warnings++;
                    g.reasons.add(o.reason());
                } else if (!o.isStored()) {
                    g.reasons.add(o.reason());
                }
            }
        }
        transferred(serverSides(request, false), groups, null);
    }

    // ------------------------------------------------------------------ origin server: WADO-RS

    /**
     * The WADO-RS handler is about to return these instances for {@code request} (call it before completing the
     * handler's stage): emits Begin Transferring DICOM Instances per study and patient and keeps the facts for the
     * DICOM Instances Transferred message of {@link #retrieved(WebRequest, WadoQuery, int, boolean)}.
     */
    public void serving(WebRequest request, List<InstanceFacts> instances) {
        List<InstanceFacts> facts = List.copyOf(instances);
        pend(wados, request, facts, List.of());
        Map<String, InstanceFacts> begun = new LinkedHashMap<>();
        for (InstanceFacts f : facts) {
            if (auditable(f, "served with WADO-RS")) {
                begun.putIfAbsent(f.studyInstanceUid() + '\u0000' + f.patientId(), f);
            }
        }
        Sides sides = serverSides(request, true);
        for (InstanceFacts f : begun.values()) {
            emit(() -> begin(sides, f));
        }
    }

    @Override
    public void retrieved(WebRequest request, WadoQuery query, int instances, boolean complete) {
        Pending p = take(wados, request);
        if (p == null) {
            if (instances > 0) {
                errors.accept(new IllegalStateException("a WADO-RS response of " + instances + " instances cannot be "
                        + "audited: the handler did not report them with WebAuditor.serving"));
            }
            return;
        }
        String failure = complete ? null
                : "the WADO-RS response broke off after " + instances + " of " + p.facts.size() + " instances"
                        + (p.failure != null ? ": " + p.failure : "");
        transferredAll(serverSides(request, true), p.facts, complete, failure, request.secure());
    }

    @Override
    public void failed(WebRequest request, int httpStatus, String reason) {
        if (request.operation() == DicomWebOperation.WADO) {
            if (httpStatus >= 400) { // nothing was sent, and no retrieved() follows
                Pending p = take(wados, request);
                if (p != null) {
                    transferredAll(serverSides(request, true), p.facts, false,
                            "the WADO-RS response failed (HTTP " + httpStatus + "): " + reason, request.secure());
                }
            } else { // broke off after the response began: retrieved() follows
                Pending p = peek(wados, request);
                if (p != null) {
                    p.failure = reason;
                }
            }
        } else if (request.operation() == DicomWebOperation.STOW) {
            Pending p = take(stows, request);
            if (p != null) {
                // the STOW-RS response was not sent: the user agent does not know what was stored
                p.instances.forEach(stowFacts::remove);
                transferredAll(serverSides(request, false), p.facts, false,
                        "the STOW-RS request failed (HTTP " + httpStatus + "): " + reason, request.secure());
            }
        }
    }

    // ------------------------------------------------------------------ origin server: QIDO-RS

    @Override
    public void queried(WebRequest request, QidoQuery query, int results) {
        emit(() -> {
            Sides s = serverSides(request, false);
            AuditMessages.Builder b = AuditMessages.query();
            b.participant(ParticipantSlot.SOURCE, s.remote).participant(ParticipantSlot.DESTINATION, s.local);
            if (s.person != null) {
                b.participant(ParticipantSlot.OTHER, s.person);
            }
            String url = requestUrl(request);
            return b.query(AuditCodes.ID_URI, url, queryString(query.parameters()).getBytes(StandardCharsets.UTF_8))
                    .eventDateTime(now()).outcome(0).auditSource(source).build();
        });
    }

    // ------------------------------------------------------------------ user agent (producer)

    /**
     * A STOW-RS request to {@code base} is about to send these instances: Begin Transferring DICOM Instances per
     * study and patient, this application the source and requestor.
     */
    public void stowBeginning(URI base, List<InstanceFacts> instances) {
        Sides sides = clientSides(base, true);
        Map<String, InstanceFacts> begun = new LinkedHashMap<>();
        for (InstanceFacts f : instances) {
            if (auditable(f, "sent with STOW-RS")) {
                begun.putIfAbsent(f.studyInstanceUid() + '\u0000' + f.patientId(), f);
            }
        }
        for (InstanceFacts f : begun.values()) {
            emit(() -> begin(sides, f));
        }
    }

    /**
     * A STOW-RS request to {@code base} was answered: DICOM Instances Transferred per study and patient, outcome 0
     * for {@code stored} (stored or stored with a warning, as the response says), outcome 8 for {@code failed}
     * (failed, not mentioned in the response, or the request failed as a whole).
     *
     * @param failureDescription why the failed ones failed (e.g. "Failure Reason A700", "HTTP 503"), or null
     */
    public void stowSent(URI base, List<InstanceFacts> stored, List<InstanceFacts> failed, String failureDescription) {
        Sides sides = clientSides(base, true);
        boolean encrypted = encrypted(base);
        Map<StudyKey, Group> groups = new LinkedHashMap<>();
        for (InstanceFacts f : stored) {
            if (auditable(f, "sent with STOW-RS")) {
                add(groups, f, true, encrypted);
            }
        }
        for (InstanceFacts f : failed) {
            if (auditable(f, "sent with STOW-RS")) {
                add(groups, f, false, encrypted);
            }
        }
        transferred(sides, groups, failureDescription != null ? failureDescription
                : "the origin server did not store these instances");
    }

    /**
     * A WADO-RS retrieve from {@code base} received these instances: DICOM Instances Transferred per study and
     * patient, the origin server the source, this application the destination and requestor.
     *
     * @param failure null when the response was complete, else why it broke off (outcome 8)
     */
    public void retrieved(URI base, List<InstanceFacts> received, String failure) {
        List<InstanceFacts> ok = new ArrayList<>();
        for (InstanceFacts f : received) {
            if (auditable(f, "retrieved with WADO-RS")) {
                ok.add(f);
            }
        }
        transferredAll(clientSides(base, false), ok, failure == null, failure, encrypted(base));
    }

    /**
     * A QIDO-RS search was sent: Query, this application the source and requestor, the origin server the destination.
     *
     * @param requestUri the URL requested, with its query component as sent (raw, percent-encoded)
     * @param failure    null when the search was answered, else why not (outcome 8)
     */
    public void queried(URI requestUri, String failure) {
        query(withoutQuery(requestUri), requestUri, failure);
    }

    private void query(URI service, URI requestUri, String failure) {
        emit(() -> {
            URI resource = withoutQuery(requestUri);
            Sides s = clientSides(service, true);
            String raw = requestUri.getRawQuery();
            AuditMessages.Builder b = AuditMessages.query()
                    .participant(ParticipantSlot.SOURCE, s.local).participant(ParticipantSlot.DESTINATION, s.remote)
                    .query(AuditCodes.ID_URI, resource.toString(),
                            (raw == null ? "" : raw).getBytes(StandardCharsets.UTF_8))
                    .eventDateTime(now()).outcome(failure == null ? 0 : 8).auditSource(source);
            if (failure != null) {
                b.outcomeDescription(failure);
            }
            return b.build();
        });
    }

    /**
     * A QIDO-RS search of {@code level} under {@code base} (optionally within a study and series) with these
     * parameters (names and values unencoded): see {@link #queried(URI, String)}.
     */
    public void queried(URI base, QidoLevel level, String studyUid, String seriesUid,
            Map<String, List<String>> parameters, String failure) {
        StringBuilder path = new StringBuilder(stripSlash(base.toString()));
        if (studyUid != null) {
            path.append("/studies/").append(studyUid);
            if (seriesUid != null) {
                path.append("/series/").append(seriesUid);
            }
        }
        if (level != QidoLevel.STUDY || studyUid == null) {
            path.append('/').append(level.pathSegment());
        }
        String q = queryString(parameters == null ? Map.of() : parameters);
        query(base, URI.create(path + (q.isEmpty() ? "" : "?" + q)), failure);
    }

    // ------------------------------------------------------------------ messages

    /** The participants of one exchange: which side sends (or queries), and the principal. */
    private record Sides(ActiveParticipant local, ActiveParticipant remote, ActiveParticipant person,
            boolean localIsSource) {
    }

    private Sides serverSides(WebRequest request, boolean localIsSource) {
        String ip = address(request.remoteAddress());
        boolean hasPerson = request.principal() != null && !request.principal().isBlank();
        ActiveParticipant.Builder local = ActiveParticipant.builder(localProcess).requestor(false);
        if (request.baseUrl() != null && !request.baseUrl().isBlank()) {
            local.networkAccessPoint(NetworkAccessPointType.URI, request.baseUrl());
        } else {
            local.networkAccessPoint(localHost);
        }
        ActiveParticipant.Builder remote = ActiveParticipant.builder(ip != null ? ip : "unknown")
                .networkAccessPoint(ip).userName(request.tlsPeerSubject()).requestor(!hasPerson);
        ActiveParticipant person = hasPerson ? Participants.person(request.principal()).networkAccessPoint(ip)
                .requestor(true).build() : null;
        return new Sides(local.build(), remote.build(), person, localIsSource);
    }

    private Sides clientSides(URI base, boolean localIsSource) {
        String url = stripSlash(base.toString());
        ActiveParticipant local = Participants.application(localProcess, List.of(), localHost).requestor(true)
                .build();
        ActiveParticipant remote = ActiveParticipant.builder(url).networkAccessPoint(NetworkAccessPointType.URI, url)
                .requestor(false).build();
        return new Sides(local, remote, null, localIsSource);
    }

    private AuditMessages.Builder participants(AuditMessages.Builder b, Sides s) {
        b.participant(ParticipantSlot.SOURCE, s.localIsSource ? s.local : s.remote);
        b.participant(ParticipantSlot.DESTINATION, s.localIsSource ? s.remote : s.local);
        if (s.person != null) {
            b.participant(ParticipantSlot.OTHER, s.person);
        }
        return b;
    }

    private AuditMessage begin(Sides sides, InstanceFacts f) {
        return participants(AuditMessages.beginTransferringDicomInstances(), sides)
                .study(Study.of(f.studyInstanceUid())).patient(new Patient(f.patientId(), f.patientName()))
                .eventDateTime(now()).outcome(0).auditSource(source).build();
    }

    private Group add(Map<StudyKey, Group> groups, InstanceFacts f, boolean stored, boolean encrypted) {
        StudyKey key = new StudyKey(f.studyInstanceUid(), f.patientId(), stored);
        Group g = groups.computeIfAbsent(key, k -> new Group(k.studyUid(), f.patientName(), encrypted));
        g.study.addInstance(f.sopClassUid(), includeInstanceUids ? f.sopInstanceUid() : null);
        g.study.accessionNumber(f.accessionNumber());
        return g;
    }

    /** Every instance with one outcome: grouped per study and patient. */
    private void transferredAll(Sides sides, List<InstanceFacts> facts, boolean ok, String description,
            boolean encrypted) {
        Map<StudyKey, Group> groups = new LinkedHashMap<>();
        for (InstanceFacts f : facts) {
            if (!isBlank(f.studyInstanceUid()) && !isBlank(f.patientId())) {
                add(groups, f, ok, encrypted);
            }
        }
        transferred(sides, groups, description);
    }

    /**
     * One DICOM Instances Transferred per group. The description of a failed group is {@code failure} or names its
     * Failure Reasons; a stored group with warnings names its Warning Reasons.
     */
    private void transferred(Sides sides, Map<StudyKey, Group> groups, String failure) {
        for (Map.Entry<StudyKey, Group> e : groups.entrySet()) {
            StudyKey k = e.getKey();
            Group g = e.getValue();
            String description;
            if (k.stored()) {
                description = g.warnings == 0 ? null
                        : g.warnings + " stored with a warning (Warning Reason " + hex(g.reasons) + ")";
            } else if (!g.reasons.isEmpty()) {
                description = "not stored (Failure Reason " + hex(g.reasons) + ")";
            } else {
                description = failure != null ? failure : "these instances were not transferred";
            }
            emit(() -> {
                AuditMessages.Builder b = participants(AuditMessages.dicomInstancesTransferred(), sides)
                        // A.5.3.7: R when the audit source is not the receiver or does not know whether the receiver
                        // held the instances before: a gateway never knows
                        .action(EventActionCode.READ)
                        .study(g.study.build(), includeInstanceUids).patient(new Patient(k.patientId(), g.patientName))
                        .eventDateTime(now()).outcome(k.stored() ? 0 : 8).auditSource(source);
                if (description != null) {
                    b.outcomeDescription(description);
                }
                return b.build();
            });
        }
    }

    private AuditMessage authentication(String user, WebRequest request, int outcome, String why) {
        String ip = address(request.remoteAddress());
        // NetworkAccessPoint is M here (A.5.3.12): "unknown" (type 1) when the server did not give the address
        ActiveParticipant.Builder person = Participants.person(user).requestor(true)
                .networkAccessPoint(ip != null ? ip : "unknown");
        AuditMessages.Builder b = AuditMessages.userAuthentication().login().user(person)
                .node(serverNode(request)).eventDateTime(now()).outcome(outcome).auditSource(source);
        if (why != null) {
            b.outcomeDescription(why);
        }
        return b.build();
    }

    private AuditMessage restrictedFunction(WebRequest request, String reason) {
        AuditMessages.Builder b = AuditMessages.securityAlert().eventTypeCode(AuditCodes.TYPE_USE_OF_RESTRICTED_FUNCTION)
                .user(serverNode(request));
        String ip = address(request.remoteAddress());
        String who = request.principal() != null && !request.principal().isBlank() ? request.principal() : ip;
        if (who != null) {
            b.performer(Participants.person(who).networkAccessPoint(ip).requestor(false));
        }
        String description = (reason != null && !reason.isBlank() ? reason : "request refused (HTTP 403)")
                + (request.method() != null ? " [" + request.method() + "]" : "");
        return b.alertSubject(AuditCodes.ID_URI, requestUrl(request), ParticipantObjectTypeCodeRole.SECURITY_RESOURCE,
                description).eventDateTime(now()).outcome(4).auditSource(source).build();
    }

    /** This application as the server-side node performing the authentication or reporting the alert. */
    private ActiveParticipant.Builder serverNode(WebRequest request) {
        ActiveParticipant.Builder b = ActiveParticipant.builder(localProcess).requestor(false);
        if (request.baseUrl() != null && !request.baseUrl().isBlank()) {
            b.networkAccessPoint(NetworkAccessPointType.URI, request.baseUrl());
        } else {
            b.networkAccessPoint(localHost);
        }
        return b;
    }

    // ------------------------------------------------------------------ helpers

    private InstanceFacts stowInstanceFacts(StowInstance i) {
        String patientId = null;
        String patientName = null;
        String accession = null;
        try {
            Dataset ds = i.file().dataset();
            patientId = ds.getString(Tag.PatientID);
            patientName = ds.getString(Tag.PatientName);
            accession = ds.getString(Tag.AccessionNumber);
        } catch (RuntimeException e) {
            errors.accept(new IllegalStateException("the patient of STOW-RS part " + i.partNumber()
                    + " could not be read for the audit trail: " + e.getClass().getSimpleName()));
        }
        return new InstanceFacts(i.sopClassUid(), i.sopInstanceUid(), i.studyInstanceUid(), patientId, patientName,
                accession);
    }

    /** Whether A.5.3.3/A.5.3.7 can describe the instance (study and patient known); if not, {@code errors} is told. */
    private boolean auditable(InstanceFacts f, String how) {
        if (isBlank(f.studyInstanceUid())) {
            errors.accept(new IllegalArgumentException("an instance without Study Instance UID was " + how
                    + ": it cannot be audited per study (A.5.3.7)"));
            return false;
        }
        if (isBlank(f.patientId())) {
            errors.accept(new IllegalArgumentException("an instance without Patient ID was " + how
                    + ": A.5.3.7 needs the patient"));
            return false;
        }
        return true;
    }

    private void pend(Map<WebRequest, Deque<Pending>> map, WebRequest request, List<InstanceFacts> facts,
            List<StowInstance> instances) {
        Instant now = clock.instant();
        synchronized (map) {
            map.computeIfAbsent(request, k -> new ArrayDeque<>()).add(new Pending(now, facts, instances));
        }
        sweep(now);
    }

    private static Pending take(Map<WebRequest, Deque<Pending>> map, WebRequest request) {
        synchronized (map) {
            Deque<Pending> d = map.get(request);
            if (d == null) {
                return null;
            }
            Pending p = d.poll();
            if (d.isEmpty()) {
                map.remove(request);
            }
            return p;
        }
    }

    private static Pending peek(Map<WebRequest, Deque<Pending>> map, WebRequest request) {
        synchronized (map) {
            Deque<Pending> d = map.get(request);
            return d == null ? null : d.peek();
        }
    }

    /** Drops the pending data of requests whose end was never reported (at most once a minute). */
    private void sweep(Instant now) {
        synchronized (this) {
            if (now.isBefore(lastSweep.plusSeconds(60))) {
                return;
            }
            lastSweep = now;
        }
        Instant limit = now.minus(PENDING_TIMEOUT);
        for (Map<WebRequest, Deque<Pending>> map : List.of(stows, wados)) {
            synchronized (map) {
                for (Iterator<Deque<Pending>> it = map.values().iterator(); it.hasNext();) {
                    Deque<Pending> d = it.next();
                    while (!d.isEmpty() && d.peek().since.isBefore(limit)) {
                        d.poll().instances.forEach(stowFacts::remove);
                    }
                    if (d.isEmpty()) {
                        it.remove();
                    }
                }
            }
        }
    }

    /** The URL of the request's resource: the scheme and authority of the base URL and the request path. */
    static String requestUrl(WebRequest request) {
        String base = request.baseUrl();
        String path = request.path() == null ? "" : request.path();
        if (base == null || base.isBlank()) {
            return path.isEmpty() ? "unknown" : path;
        }
        try {
            URI b = URI.create(base);
            if (b.getScheme() != null && b.getRawAuthority() != null) {
                return b.getScheme() + "://" + b.getRawAuthority() + encodePath(path);
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        return stripSlash(base) + encodePath(path);
    }

    private static String encodePath(String path) {
        StringBuilder sb = new StringBuilder(path.length());
        for (char c : path.toCharArray()) {
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "/-._~!$&'()*+,;=:@".indexOf(c) >= 0)) {
                sb.append(c);
            } else {
                sb.append(URLEncoder.encode(String.valueOf(c), StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        return sb.toString();
    }

    /** The query component of a URL with these parameters (RFC 3986 percent-encoding of names and values). */
    static String queryString(Map<String, List<String>> parameters) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<String>> e : parameters.entrySet()) {
            List<String> values = e.getValue().isEmpty() ? List.of("") : e.getValue();
            for (String v : values) {
                if (sb.length() > 0) {
                    sb.append('&');
                }
                sb.append(encode(e.getKey())).append('=').append(encode(v));
            }
        }
        return sb.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%2C", ",")
                .replace("%2A", "*");
    }

    private static URI withoutQuery(URI u) {
        String s = u.toString();
        int q = s.indexOf('?');
        int h = s.indexOf('#');
        int end = q >= 0 ? q : h >= 0 ? h : s.length();
        return URI.create(s.substring(0, end));
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static boolean encrypted(URI base) {
        return base.getScheme() != null && base.getScheme().toLowerCase(Locale.ROOT).equals("https");
    }

    private static String hex(Set<Integer> reasons) {
        Set<String> out = new LinkedHashSet<>();
        for (int r : reasons) {
            out.add(String.format("%04X", r));
        }
        return String.join(", ", out);
    }

    private static String address(InetSocketAddress a) {
        if (a == null) {
            return null;
        }
        return a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), zone);
    }

    private void emit(Supplier<AuditMessage> message) {
        try {
            sink.accept(message.get());
        } catch (RuntimeException e) {
            errors.accept(e);
        }
    }
}
