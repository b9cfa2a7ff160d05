package org.cameldicomsecure.deid;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.UniqueElements;

import org.cameldicomsecure.dicom.UidSyntax;

/** Properties of replacement UIDs (PS3.5 §9.1, §B.2) and of date shifting (PS3.15 E.3.6). */
class UidAndDateProperties {

    private static final byte[] SECRET = "property-test-secret-0123456789a".getBytes(StandardCharsets.US_ASCII);
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

    @Provide
    Arbitrary<String> uids() {
        Arbitrary<String> component = Arbitraries.<String>oneOf(Arbitraries.just("0"),
                Arbitraries.longs().between(1, 99_999_999L).map(l -> Long.toString(l)));
        return component.list().ofMinSize(2).ofMaxSize(12).map(l -> String.join(".", l))
                .filter(UidSyntax::isValid).filter(u -> !UidMapper.isStandard(u));
    }

    @Property
    void replacementUidsAreValidUuidDerivedUids(@ForAll("uids") String uid) {
        String r = new UidMapper(new Keyed(SECRET)).map(uid);
        assert UidSyntax.isValid(r) : r;
        assert r.length() <= 64;
        assert r.startsWith("2.25.") && !r.startsWith("2.25.0") : r;
        for (String c : r.split("\\.")) {
            assert c.equals("0") || !c.startsWith("0") : "leading zero in " + r;
        }
        assert !r.equals(uid);
    }

    @Property
    void replacementIsDeterministicAcrossMappers(@ForAll("uids") String uid) {
        assert new UidMapper(new Keyed(SECRET)).map(uid).equals(new UidMapper(new Keyed(SECRET.clone())).map(uid));
        byte[] other = SECRET.clone();
        other[0] ^= 1;
        assert !new UidMapper(new Keyed(SECRET)).map(uid).equals(new UidMapper(new Keyed(other)).map(uid));
    }

    @Property(tries = 200)
    void distinctUidsGetDistinctReplacements(@ForAll @Size(min = 2, max = 200) @UniqueElements
            Set<@StringLength(min = 1, max = 20) String> suffixes) {
        UidMapper m = new UidMapper(new Keyed(SECRET));
        Map<String, String> seen = new HashMap<>();
        for (String s : suffixes) {
            String uid = "1.2.3." + (s.hashCode() & 0x7FFFFFFF) + "." + s.length();
            String r = m.map(uid);
            String before = seen.put(r, uid);
            assert before == null || before.equals(uid) : "collision between " + before + " and " + uid;
        }
    }

    @Provide
    Arbitrary<LocalDate> dates() {
        return Arbitraries.integers().between(0, 365 * 150).map(d -> LocalDate.of(1900, 1, 1).plusDays(d));
    }

    @Provide
    Arbitrary<String> patientIds() {
        return Arbitraries.strings().withCharRange('0', 'z').ofMinLength(0).ofMaxLength(64);
    }

    @Property
    void samePatientSameShiftAndIntervalsKept(@ForAll("patientIds") String patientId, @ForAll("dates") LocalDate a,
            @ForAll("dates") LocalDate b) {
        DateShifter s1 = DateShifter.forPatient(new Keyed(SECRET), patientId, null);
        DateShifter s2 = DateShifter.forPatient(new Keyed(SECRET), patientId, null);
        assert s1.days() == s2.days();
        assert s1.days() >= 1 && s1.days() <= DateShifter.MAX_DAYS;
        LocalDate sa = LocalDate.parse(s1.shiftDate(a.format(DA)), DA);
        LocalDate sb = LocalDate.parse(s2.shiftDate(b.format(DA)), DA);
        assert ChronoUnit.DAYS.between(sa, sb) == ChronoUnit.DAYS.between(a, b) : "interval changed";
        assert ChronoUnit.DAYS.between(sa, a) == s1.days();
    }

    @Provide
    Arbitrary<String> dateTimes() {
        Arbitrary<String> time = Arbitraries.of("", "10", "1010", "101059", "235959.123456", "000000.1");
        Arbitrary<String> zone = Arbitraries.of("", "+0100", "-0530", "+0000");
        return Combinators.combine(dates(), time, zone).as((d, t, z) -> d.format(DA) + t + z);
    }

    @Property
    void shiftedDateTimesStayValidAndKeepTimeAndOffset(@ForAll("dateTimes") String dt,
            @ForAll("patientIds") String patientId) {
        DateShifter s = DateShifter.forPatient(new Keyed(SECRET), patientId, "ISSUER");
        String out = s.shiftDateTime(dt);
        assert out != null : dt;
        assert out.length() == dt.length();
        assert out.substring(8).equals(dt.substring(8)) : "time or offset changed: " + dt + " -> " + out;
        LocalDate d = LocalDate.parse(out.substring(0, 8), DA);
        assert ChronoUnit.DAYS.between(d, LocalDate.parse(dt.substring(0, 8), DA)) == s.days();
    }

    @Property
    void invalidDatesAreNotKept(@ForAll @StringLength(min = 1, max = 12) String junk) {
        DateShifter s = new DateShifter(10);
        String out = s.shiftDate(junk);
        if (out != null) {
            assert junk.trim().matches("\\d{8}(-\\d{8})?|-\\d{8}|\\d{8}-") : junk;
            LocalDate.parse(out.replace("-", "").substring(0, 8), DA);
        }
    }
}
