package org.cameldicomsecure.it.dicomtls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Upper layer PDUs (PS3.8 §9.3) and a C-STORE-RQ command set (PS3.7 §9.3.1.1), encoded by hand for the robustness
 * tests, independently of our codec, and a blocking connection that sends and reads them.
 */
final class RawPdus {

    static final int A_ASSOCIATE_RQ = 0x01;
    static final int A_ASSOCIATE_AC = 0x02;
    static final int P_DATA_TF = 0x04;
    static final int A_RELEASE_RQ = 0x05;
    static final int A_RELEASE_RP = 0x06;
    static final int A_ABORT = 0x07;

    private RawPdus() {
    }

    /** A PDU: type, reserved byte, 4-byte big-endian length, body. */
    static byte[] pdu(int type, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(6 + body.length);
        b.put((byte) type).put((byte) 0).putInt(body.length).put(body);
        return b.array();
    }

    /** An item or sub-item: type, reserved byte, 2-byte big-endian length, value. */
    private static byte[] item(int type, byte[] value) {
        ByteBuffer b = ByteBuffer.allocate(4 + value.length);
        b.put((byte) type).put((byte) 0).putShort((short) value.length).put(value);
        return b.array();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] aet(String aet) {
        return ascii(String.format("%-16s", aet));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    /**
     * An A-ASSOCIATE-RQ proposing presentation context 1 ({@code abstractSyntax} in {@code transferSyntax}), with a
     * Maximum Length and an Implementation Class UID.
     */
    static byte[] associateRq(String called, String calling, String abstractSyntax, String transferSyntax,
            int maxLength) {
        byte[] appContext = item(0x10, ascii("1.2.840.10008.3.1.1.1"));
        byte[] pc = item(0x20, concat(new byte[] {1, 0, 0, 0}, item(0x30, ascii(abstractSyntax)),
                item(0x40, ascii(transferSyntax))));
        byte[] max = item(0x51, ByteBuffer.allocate(4).putInt(maxLength).array());
        byte[] impl = item(0x52, ascii("2.25.165684018462841359926092906865039823488"));
        byte[] userInfo = item(0x50, concat(max, impl));
        byte[] fixed = concat(new byte[] {0, 1, 0, 0}, aet(called), aet(calling), new byte[32]);
        return pdu(A_ASSOCIATE_RQ, concat(fixed, appContext, pc, userInfo));
    }

    /** A P-DATA-TF with one PDV of {@code fragment} on {@code pcid}. */
    static byte[] pData(int pcid, boolean command, boolean last, byte[] fragment, int offset, int length) {
        ByteBuffer b = ByteBuffer.allocate(6 + length);
        b.putInt(length + 2).put((byte) pcid).put((byte) ((command ? 1 : 0) | (last ? 2 : 0)))
                .put(fragment, offset, length);
        return pdu(P_DATA_TF, b.array());
    }

    static byte[] abort() {
        return pdu(A_ABORT, new byte[] {0, 0, 0, 0});
    }

    static byte[] releaseRq() {
        return pdu(A_RELEASE_RQ, new byte[4]);
    }

    /** A C-STORE-RQ command set in Implicit VR Little Endian, announcing a data set. */
    static byte[] cStoreRq(String sopClass, String sopInstance, int messageId) {
        ByteArrayOutputStream elements = new ByteArrayOutputStream();
        element(elements, 0x0002, uid(sopClass));
        element(elements, 0x0100, us(0x0001));
        element(elements, 0x0110, us(messageId));
        element(elements, 0x0700, us(0x0000));
        element(elements, 0x0800, us(0x0102)); // anything but 0101H: a data set follows
        element(elements, 0x1000, uid(sopInstance));
        ByteArrayOutputStream command = new ByteArrayOutputStream();
        element(command, 0x0000, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(elements.size())
                .array());
        command.writeBytes(elements.toByteArray());
        return command.toByteArray();
    }

    private static byte[] uid(String uid) {
        byte[] a = ascii(uid);
        if ((a.length & 1) == 0) {
            return a;
        }
        byte[] padded = new byte[a.length + 1];
        System.arraycopy(a, 0, padded, 0, a.length);
        return padded;
    }

    private static byte[] us(int v) {
        return ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) v).array();
    }

    private static void element(ByteArrayOutputStream o, int element, byte[] value) {
        o.writeBytes(ByteBuffer.allocate(8 + value.length).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) 0).putShort((short) element).putInt(value.length).put(value).array());
    }

    /** A received PDU. */
    record Pdu(int type, byte[] body) {

        /** For A-ASSOCIATE-AC: the result of presentation context {@code id} (0 acceptance), or -1 if absent. */
        int presentationContextResult(int id) {
            int pos = 68;
            while (pos + 4 <= body.length) {
                int type = body[pos] & 0xFF;
                int len = (body[pos + 2] & 0xFF) << 8 | (body[pos + 3] & 0xFF);
                if (type == 0x21 && (body[pos + 4] & 0xFF) == id) {
                    return body[pos + 6] & 0xFF;
                }
                pos += 4 + len;
            }
            return -1;
        }
    }

    /** A plain TCP connection to our consumer. */
    static final class Conn implements AutoCloseable {

        final Socket socket;
        final DataInputStream in;
        final OutputStream out;

        Conn(int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(5000);
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        Conn send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
            return this;
        }

        /** The next PDU, or null when the peer closed the connection. */
        Pdu read() throws IOException {
            int type = in.read();
            if (type < 0) {
                return null;
            }
            in.readUnsignedByte();
            int len = in.readInt();
            byte[] body = new byte[len];
            in.readFully(body);
            return new Pdu(type, body);
        }

        /** Associates with {@code called}, proposing one context, and checks it was accepted. */
        Conn associate(String called, String abstractSyntax, String transferSyntax) throws IOException {
            send(associateRq(called, "RAWSCU", abstractSyntax, transferSyntax, 16384));
            Pdu ac = read();
            assertEquals(A_ASSOCIATE_AC, ac == null ? -1 : ac.type(), "A-ASSOCIATE-AC expected");
            assertEquals(0, ac.presentationContextResult(1), "presentation context 1 accepted");
            return this;
        }

        /** Whether the peer closed the connection within {@code millis} (data read until then is discarded). */
        boolean closedWithin(long millis) throws IOException {
            long end = System.currentTimeMillis() + millis;
            while (System.currentTimeMillis() < end) {
                socket.setSoTimeout((int) Math.max(1, end - System.currentTimeMillis()));
                try {
                    if (in.read() < 0) {
                        return true;
                    }
                } catch (SocketTimeoutException e) {
                    return false;
                } catch (EOFException e) {
                    return true;
                } catch (IOException e) {
                    return true; // reset by the peer
                }
            }
            return false;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
