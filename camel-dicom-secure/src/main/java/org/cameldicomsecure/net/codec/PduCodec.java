package org.cameldicomsecure.net.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import org.cameldicomsecure.net.pdu.AAbort;
import org.cameldicomsecure.net.pdu.AAssociateAC;
import org.cameldicomsecure.net.pdu.AAssociateRJ;
import org.cameldicomsecure.net.pdu.AAssociateRQ;
import org.cameldicomsecure.net.pdu.AsyncOperationsWindow;
import org.cameldicomsecure.net.pdu.CommonExtendedNegotiation;
import org.cameldicomsecure.net.pdu.ExtendedNegotiation;
import org.cameldicomsecure.net.pdu.MalformedPduException;
import org.cameldicomsecure.net.pdu.PresentationContextAC;
import org.cameldicomsecure.net.pdu.PresentationContextRQ;
import org.cameldicomsecure.net.pdu.RoleSelection;
import org.cameldicomsecure.net.pdu.UnknownItem;
import org.cameldicomsecure.net.pdu.UserIdentityAC;
import org.cameldicomsecure.net.pdu.UserIdentityRQ;
import org.cameldicomsecure.net.pdu.UserIdentityType;
import org.cameldicomsecure.net.pdu.UserInformation;

/**
 * Encoding and decoding of the A-ASSOCIATE PDU bodies and their items (PS3.8 §9.3.2, §9.3.3, Annex D; PS3.7 Annex D).
 * Decoding never throws anything but {@link MalformedPduException}, whose reason is the A-ABORT reason to answer with.
 */
public final class PduCodec {

    static final int APPLICATION_CONTEXT = 0x10;
    static final int PRESENTATION_CONTEXT_RQ = 0x20;
    static final int PRESENTATION_CONTEXT_AC = 0x21;
    static final int ABSTRACT_SYNTAX = 0x30;
    static final int TRANSFER_SYNTAX = 0x40;
    static final int USER_INFORMATION = 0x50;
    static final int MAXIMUM_LENGTH = 0x51;
    static final int IMPLEMENTATION_CLASS_UID = 0x52;
    static final int ASYNC_OPERATIONS_WINDOW = 0x53;
    static final int ROLE_SELECTION = 0x54;
    static final int IMPLEMENTATION_VERSION_NAME = 0x55;
    static final int EXTENDED_NEGOTIATION = 0x56;
    static final int COMMON_EXTENDED_NEGOTIATION = 0x57;
    static final int USER_IDENTITY_RQ = 0x58;
    static final int USER_IDENTITY_AC = 0x59;

    private PduCodec() {
    }

    // ---------------------------------------------------------------- decoding

    /** Decodes the body (after the 6-byte PDU header) of an A-ASSOCIATE-RQ. */
    public static AAssociateRQ decodeAssociateRQ(ByteBuf b) throws MalformedPduException {
        Body<PresentationContextRQ> d = decodeBody(b, PRESENTATION_CONTEXT_RQ, PduCodec::presentationContextRQ, true,
                "A-ASSOCIATE-RQ");
        try {
            return new AAssociateRQ(d.fixed.protocolVersion, d.fixed.called, d.fixed.calling, d.appContext, d.pcs, d.ui);
        } catch (IllegalArgumentException e) {
            throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE, e.getMessage());
        }
    }

    /** Decodes the body (after the 6-byte PDU header) of an A-ASSOCIATE-AC. */
    public static AAssociateAC decodeAssociateAC(ByteBuf b) throws MalformedPduException {
        Body<PresentationContextAC> d = decodeBody(b, PRESENTATION_CONTEXT_AC, PduCodec::presentationContextAC, false,
                "A-ASSOCIATE-AC");
        try {
            return new AAssociateAC(d.fixed.protocolVersion, d.fixed.called, d.fixed.calling, d.appContext, d.pcs, d.ui);
        } catch (IllegalArgumentException e) {
            throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE, e.getMessage());
        }
    }

    @FunctionalInterface
    private interface ItemParser<T> {
        T parse(ByteBuf value) throws MalformedPduException;
    }

    private record Body<P>(Fixed fixed, String appContext, List<P> pcs, UserInformation ui) {
    }

    /** The fixed fields and items shared by A-ASSOCIATE-RQ and -AC; {@code pcType} is 20H or 21H. */
    private static <P> Body<P> decodeBody(ByteBuf b, int pcType, ItemParser<P> pcParser, boolean rq, String pdu)
            throws MalformedPduException {
        Fixed f = decodeFixed(b);
        String appContext = null;
        List<P> pcs = new ArrayList<>();
        UserInformation ui = null;
        while (b.isReadable()) {
            int type = item(b);
            ByteBuf v = itemValue(b, type);
            if (type == APPLICATION_CONTEXT) {
                appContext = uid(v, "application context name");
            } else if (type == pcType) {
                pcs.add(pcParser.parse(v));
            } else if (type == USER_INFORMATION) {
                ui = userInformation(v, rq);
            } else {
                throw new MalformedPduException(AAbort.UNRECOGNIZED_PDU_PARAMETER,
                        String.format("unrecognized item type %02XH in %s", type, pdu));
            }
        }
        checkMandatory(appContext, !pcs.isEmpty(), ui, pdu);
        return new Body<>(f, appContext, pcs, ui);
    }

    /** Decodes the 4-byte body of an A-ASSOCIATE-RJ. */
    public static AAssociateRJ decodeAssociateRJ(ByteBuf b) {
        b.skipBytes(1);
        return new AAssociateRJ(b.readUnsignedByte(), b.readUnsignedByte(), b.readUnsignedByte());
    }

    /** Decodes the 4-byte body of an A-ABORT. */
    public static AAbort decodeAbort(ByteBuf b) {
        b.skipBytes(2);
        return new AAbort(b.readUnsignedByte(), b.readUnsignedByte());
    }

    private record Fixed(int protocolVersion, String called, String calling) {
    }

    private static Fixed decodeFixed(ByteBuf b) throws MalformedPduException {
        if (b.readableBytes() < 68) {
            throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                    "A-ASSOCIATE PDU of " + b.readableBytes() + " bytes is shorter than its 68 fixed bytes");
        }
        int version = b.readUnsignedShort();
        b.skipBytes(2);
        String called = aet(b);
        String calling = aet(b);
        b.skipBytes(32);
        return new Fixed(version, called, calling);
    }

    private static String aet(ByteBuf b) {
        byte[] a = new byte[16];
        b.readBytes(a);
        return new String(a, StandardCharsets.ISO_8859_1).trim();
    }

    private static void checkMandatory(String appContext, boolean hasPcs, UserInformation ui, String pdu)
            throws MalformedPduException {
        if (appContext == null) {
            throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE, pdu + " has no Application Context Item");
        }
        if (!hasPcs) {
            throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE, pdu + " has no Presentation Context Item");
        }
        if (ui == null) {
            throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE, pdu + " has no User Information Item");
        }
    }

    /** Reads an item header (type, reserved, 2-byte length) and checks the length fits. */
    private static int item(ByteBuf b) throws MalformedPduException {
        if (b.readableBytes() < 4) {
            throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                    "truncated item header: " + b.readableBytes() + " bytes left");
        }
        int type = b.readUnsignedByte();
        b.skipBytes(1);
        return type;
    }

    private static ByteBuf itemValue(ByteBuf b, int type) throws MalformedPduException {
        int len = b.readUnsignedShort();
        if (len > b.readableBytes()) {
            throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE, String.format(
                    "item %02XH length %d runs past the end of its PDU (%d bytes left)", type, len, b.readableBytes()));
        }
        return b.readSlice(len);
    }

    /** PS3.8 Annex F: a UID; trailing NUL or space padding sent by some implementations is tolerated. */
    private static String uid(ByteBuf v, String what) throws MalformedPduException {
        String s = v.toString(StandardCharsets.US_ASCII);
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == 0 || s.charAt(end - 1) == ' ')) {
            end--;
        }
        s = s.substring(0, end);
        if (!org.cameldicomsecure.dicom.UidSyntax.isValid(s)) {
            throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE, what + " is not a valid UID");
        }
        return s;
    }

    private static String uidField(ByteBuf v, String what) throws MalformedPduException {
        if (v.readableBytes() < 2) {
            throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "truncated " + what);
        }
        int len = v.readUnsignedShort();
        if (len > v.readableBytes()) {
            throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE, what + " length " + len
                    + " runs past its item");
        }
        return uid(v.readSlice(len), what);
    }

    private static PresentationContextRQ presentationContextRQ(ByteBuf v) throws MalformedPduException {
        if (v.readableBytes() < 4) {
            throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "truncated presentation context item");
        }
        int id = v.readUnsignedByte();
        v.skipBytes(3);
        String abstractSyntax = null;
        List<String> ts = new ArrayList<>();
        while (v.isReadable()) {
            int type = item(v);
            ByteBuf s = itemValue(v, type);
            switch (type) {
                case ABSTRACT_SYNTAX -> {
                    if (abstractSyntax != null) {
                        throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                                "presentation context " + id + " has two abstract syntaxes");
                    }
                    abstractSyntax = uid(s, "abstract syntax");
                }
                case TRANSFER_SYNTAX -> ts.add(uid(s, "transfer syntax"));
                default -> throw new MalformedPduException(AAbort.UNRECOGNIZED_PDU_PARAMETER,
                        String.format("unrecognized sub-item %02XH in presentation context %d", type, id));
            }
        }
        if (abstractSyntax == null) {
            throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                    "presentation context " + id + " has no abstract syntax");
        }
        try {
            return new PresentationContextRQ(id, abstractSyntax, ts);
        } catch (IllegalArgumentException e) {
            throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE, e.getMessage());
        }
    }

    private static PresentationContextAC presentationContextAC(ByteBuf v) throws MalformedPduException {
        if (v.readableBytes() < 4) {
            throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "truncated presentation context item");
        }
        int id = v.readUnsignedByte();
        v.skipBytes(1);
        int result = v.readUnsignedByte();
        v.skipBytes(1);
        String ts = "";
        while (v.isReadable()) {
            int type = item(v);
            ByteBuf s = itemValue(v, type);
            if (type != TRANSFER_SYNTAX) {
                throw new MalformedPduException(AAbort.UNRECOGNIZED_PDU_PARAMETER,
                        String.format("unrecognized sub-item %02XH in presentation context %d", type, id));
            }
            // PS3.8 §9.3.3.2: not significant when the context is not accepted (may even be empty)
            ts = result == PresentationContextAC.ACCEPTANCE ? uid(s, "transfer syntax") : s.toString(StandardCharsets.US_ASCII);
        }
        if (result == PresentationContextAC.ACCEPTANCE && ts.isEmpty()) {
            throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                    "accepted presentation context " + id + " names no transfer syntax");
        }
        try {
            return new PresentationContextAC(id, result, ts);
        } catch (IllegalArgumentException e) {
            throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE, e.getMessage());
        }
    }

    private static UserInformation userInformation(ByteBuf v, boolean rq) throws MalformedPduException {
        long maxLength = -1;
        String implClass = null;
        String implVersion = null;
        AsyncOperationsWindow window = null;
        List<RoleSelection> roles = new ArrayList<>();
        List<ExtendedNegotiation> ext = new ArrayList<>();
        List<CommonExtendedNegotiation> common = new ArrayList<>();
        UserIdentityRQ idRq = null;
        UserIdentityAC idAc = null;
        List<UnknownItem> unknown = new ArrayList<>();
        while (v.isReadable()) {
            int type = item(v);
            ByteBuf s = itemValue(v, type);
            switch (type) {
                case MAXIMUM_LENGTH -> {
                    need(s, 4, "Maximum Length sub-item");
                    maxLength = s.readUnsignedInt();
                }
                case IMPLEMENTATION_CLASS_UID -> implClass = uid(s, "implementation class UID");
                case IMPLEMENTATION_VERSION_NAME -> implVersion = versionName(s.toString(StandardCharsets.ISO_8859_1));
                case ASYNC_OPERATIONS_WINDOW -> {
                    need(s, 4, "Asynchronous Operations Window sub-item");
                    window = new AsyncOperationsWindow(s.readUnsignedShort(), s.readUnsignedShort());
                }
                case ROLE_SELECTION -> {
                    String uid = uidField(s, "role selection SOP class UID");
                    need(s, 2, "role selection sub-item");
                    roles.add(new RoleSelection(uid, s.readUnsignedByte() == 1, s.readUnsignedByte() == 1));
                }
                case EXTENDED_NEGOTIATION -> {
                    String uid = uidField(s, "extended negotiation SOP class UID");
                    byte[] info = new byte[s.readableBytes()];
                    s.readBytes(info);
                    ext.add(new ExtendedNegotiation(uid, info));
                }
                case COMMON_EXTENDED_NEGOTIATION -> {
                    String sop = uidField(s, "common extended negotiation SOP class UID");
                    String service = uidField(s, "service class UID");
                    List<String> related = new ArrayList<>();
                    if (s.readableBytes() >= 2) {
                        int len = s.readUnsignedShort();
                        if (len > s.readableBytes()) {
                            throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                                    "related general SOP class list runs past its sub-item");
                        }
                        ByteBuf list = s.readSlice(len);
                        while (list.isReadable()) {
                            related.add(uidField(list, "related general SOP class UID"));
                        }
                    }
                    common.add(new CommonExtendedNegotiation(sop, service, related));
                }
                case USER_IDENTITY_RQ -> idRq = userIdentityRQ(s);
                case USER_IDENTITY_AC -> {
                    byte[] resp = field(s, "server response");
                    idAc = new UserIdentityAC(resp);
                }
                default -> {
                    byte[] value = new byte[s.readableBytes()];
                    s.readBytes(value);
                    unknown.add(new UnknownItem(type, value));
                }
            }
        }
        if (maxLength < 0) {
            throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                    "User Information has no Maximum Length sub-item");
        }
        if (implClass == null) {
            throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                    "User Information has no Implementation Class UID sub-item");
        }
        try {
            return new UserInformation(maxLength, implClass,
                    implVersion,
                    window, roles, ext, rq ? common : List.of(), rq ? idRq : null, rq ? null : idAc, unknown);
        } catch (IllegalArgumentException e) {
            throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE, e.getMessage());
        }
    }

    /**
     * PS3.7 §D.3.3.2: 1-16 characters. Longer values from a peer are cut to 16 and trailing padding (spaces, NULs and
     * other controls) is removed; the result is the same when decoded again, so re-encoding is stable.
     */
    private static String versionName(String raw) {
        String v = raw.length() > 16 ? raw.substring(0, 16) : raw;
        int end = v.length();
        while (end > 0 && v.charAt(end - 1) <= ' ') {
            end--;
        }
        return end == 0 ? null : v.substring(0, end);
    }

    private static UserIdentityRQ userIdentityRQ(ByteBuf s) throws MalformedPduException {
        need(s, 2, "User Identity sub-item");
        int typeValue = s.readUnsignedByte();
        boolean positive = s.readUnsignedByte() == 1;
        byte[] primary = field(s, "user identity primary field");
        byte[] secondary = field(s, "user identity secondary field");
        UserIdentityType type = UserIdentityType.valueOf(typeValue);
        if (type == null) {
            throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                    "reserved user identity type " + typeValue);
        }
        try {
            return new UserIdentityRQ(type, positive, primary, secondary);
        } catch (IllegalArgumentException e) {
            throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE, e.getMessage());
        }
    }

    private static byte[] field(ByteBuf s, String what) throws MalformedPduException {
        need(s, 2, what);
        int len = s.readUnsignedShort();
        if (len > s.readableBytes()) {
            throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE, what + " length " + len
                    + " runs past its sub-item");
        }
        byte[] out = new byte[len];
        s.readBytes(out);
        return out;
    }

    private static void need(ByteBuf s, int n, String what) throws MalformedPduException {
        if (s.readableBytes() < n) {
            throw new MalformedPduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "truncated " + what);
        }
    }

    // ---------------------------------------------------------------- encoding

    /** Writes the body (after the PDU header) of an A-ASSOCIATE-RQ. */
    public static void encodeAssociateRQ(AAssociateRQ rq, ByteBuf out) {
        encodeFixed(rq.protocolVersion(), rq.calledAet(), rq.callingAet(), out);
        writeStringItem(out, APPLICATION_CONTEXT, rq.applicationContext());
        for (PresentationContextRQ pc : rq.presentationContexts()) {
            int start = beginItem(out, PRESENTATION_CONTEXT_RQ);
            out.writeByte(pc.id()).writeByte(0).writeByte(0).writeByte(0);
            writeStringItem(out, ABSTRACT_SYNTAX, pc.abstractSyntax());
            for (String ts : pc.transferSyntaxes()) {
                writeStringItem(out, TRANSFER_SYNTAX, ts);
            }
            endItem(out, start);
        }
        encodeUserInformation(rq.userInformation(), out, true);
    }

    /** Writes the body (after the PDU header) of an A-ASSOCIATE-AC. */
    public static void encodeAssociateAC(AAssociateAC ac, ByteBuf out) {
        encodeFixed(ac.protocolVersion(), ac.calledAet(), ac.callingAet(), out);
        writeStringItem(out, APPLICATION_CONTEXT, ac.applicationContext());
        for (PresentationContextAC pc : ac.presentationContexts()) {
            int start = beginItem(out, PRESENTATION_CONTEXT_AC);
            out.writeByte(pc.id()).writeByte(0).writeByte(pc.result()).writeByte(0);
            writeStringItem(out, TRANSFER_SYNTAX, pc.transferSyntax());
            endItem(out, start);
        }
        encodeUserInformation(ac.userInformation(), out, false);
    }

    private static void encodeFixed(int version, String called, String calling, ByteBuf out) {
        out.writeShort(version).writeShort(0);
        writeAet(out, called);
        writeAet(out, calling);
        out.writeZero(32);
    }

    private static void writeAet(ByteBuf out, String aet) {
        byte[] b = aet.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(b);
        for (int i = b.length; i < 16; i++) {
            out.writeByte(' ');
        }
    }

    private static void encodeUserInformation(UserInformation ui, ByteBuf out, boolean rq) {
        int start = beginItem(out, USER_INFORMATION);
        int len = beginItem(out, MAXIMUM_LENGTH);
        out.writeInt((int) ui.maxPduLength());
        endItem(out, len);
        writeStringItem(out, IMPLEMENTATION_CLASS_UID, ui.implementationClassUid());
        if (ui.asyncOperationsWindow() != null) {
            int w = beginItem(out, ASYNC_OPERATIONS_WINDOW);
            out.writeShort(ui.asyncOperationsWindow().maxOperationsInvoked());
            out.writeShort(ui.asyncOperationsWindow().maxOperationsPerformed());
            endItem(out, w);
        }
        for (RoleSelection r : ui.roleSelections()) {
            int s = beginItem(out, ROLE_SELECTION);
            writeUidField(out, r.sopClassUid());
            out.writeByte(r.scu() ? 1 : 0).writeByte(r.scp() ? 1 : 0);
            endItem(out, s);
        }
        if (ui.implementationVersionName() != null) {
            writeStringItem(out, IMPLEMENTATION_VERSION_NAME, ui.implementationVersionName());
        }
        for (ExtendedNegotiation e : ui.extendedNegotiations()) {
            int s = beginItem(out, EXTENDED_NEGOTIATION);
            writeUidField(out, e.sopClassUid());
            out.writeBytes(e.serviceClassApplicationInformation());
            endItem(out, s);
        }
        if (rq) {
            for (CommonExtendedNegotiation c : ui.commonExtendedNegotiations()) {
                int s = beginItem(out, COMMON_EXTENDED_NEGOTIATION);
                writeUidField(out, c.sopClassUid());
                writeUidField(out, c.serviceClassUid());
                int lenAt = out.writerIndex();
                out.writeShort(0);
                for (String related : c.relatedGeneralSopClasses()) {
                    writeUidField(out, related);
                }
                out.setShort(lenAt, out.writerIndex() - lenAt - 2);
                endItem(out, s);
            }
            UserIdentityRQ id = ui.userIdentityRQ();
            if (id != null) {
                int s = beginItem(out, USER_IDENTITY_RQ);
                out.writeByte(id.type().value()).writeByte(id.positiveResponseRequested() ? 1 : 0);
                out.writeShort(id.primaryField().length).writeBytes(id.primaryField());
                out.writeShort(id.secondaryField().length).writeBytes(id.secondaryField());
                endItem(out, s);
            }
        } else if (ui.userIdentityAC() != null) {
            int s = beginItem(out, USER_IDENTITY_AC);
            out.writeShort(ui.userIdentityAC().serverResponse().length).writeBytes(ui.userIdentityAC().serverResponse());
            endItem(out, s);
        }
        for (UnknownItem u : ui.unknownItems()) {
            int s = beginItem(out, u.type());
            out.writeBytes(u.value());
            endItem(out, s);
        }
        endItem(out, start);
    }

    private static void writeUidField(ByteBuf out, String uid) {
        byte[] b = uid.getBytes(StandardCharsets.US_ASCII);
        out.writeShort(b.length).writeBytes(b);
    }

    private static void writeStringItem(ByteBuf out, int type, String value) {
        byte[] b = value.getBytes(StandardCharsets.US_ASCII);
        out.writeByte(type).writeByte(0).writeShort(b.length).writeBytes(b);
    }

    /** Writes an item header with a placeholder length; returns where the length goes. */
    private static int beginItem(ByteBuf out, int type) {
        out.writeByte(type).writeByte(0);
        int at = out.writerIndex();
        out.writeShort(0);
        return at;
    }

    private static void endItem(ByteBuf out, int lengthAt) {
        int len = out.writerIndex() - lengthAt - 2;
        if (len > 0xFFFF) {
            throw new IllegalArgumentException("item of " + len + " bytes exceeds the 16-bit item length");
        }
        out.setShort(lengthAt, len);
    }
}
