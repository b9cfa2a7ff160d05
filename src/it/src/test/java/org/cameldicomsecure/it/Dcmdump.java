package org.cameldicomsecure.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs DCMTK's {@code dcmdump} and parses its listing into a tree of {@link Node}s.
 *
 * <p>Options ({@link #OPTIONS}), chosen so that the listing can be compared value for value:
 * <ul>
 * <li>{@code +L} (--print-all): long values are printed completely, not cut off with "...";</li>
 * <li>{@code -Un} (--no-uid-names): UIDs are printed as numbers, not replaced by names such as
 * "=LittleEndianExplicit";</li>
 * <li>{@code +Qn} (--quote-nonascii): every non-ASCII byte and control character of a text value is printed as
 * {@code &#N;} (and {@code & < > " '} as entities), so the listing is pure ASCII, one element per line, and each value
 * byte can be recovered exactly whatever the character set.</li>
 * </ul>
 * A line reads {@code (gggg,eeee) VR value # length, VM Keyword}, indented by two spaces per nesting level. Items of a
 * sequence are {@code (fffe,e000) na (Item with ... length #=N)}, fragments of encapsulated pixel data are
 * {@code (fffe,e000) pi hex}; the delimitation items (real or "for re-encoding") carry no information beyond the
 * {@code u/l} length and are dropped.
 */
final class Dcmdump {

    static final List<String> OPTIONS = List.of("+L", "-Un", "+Qn");

    private static final Pattern LINE = Pattern.compile(
            "^( *)\\(([0-9a-fA-F]{4}),([0-9a-fA-F]{4})\\) (\\S\\S) (.*?) *# *(u/l|\\d+), *(\\d+) ([^#]*)$");
    private static final Pattern COUNT = Pattern.compile("#=(\\d+)\\)$");
    private static final int ITEM = 0xFFFEE000;
    private static final int ITEM_DELIMITATION = 0xFFFEE00D;
    private static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;

    private Dcmdump() {
    }

    /** What a line is. */
    enum Kind { ELEMENT, SEQUENCE, PIXEL_SEQUENCE, ITEM, FRAGMENT }

    /** One line of the listing, with the lines nested under it. */
    static final class Node {
        final Kind kind;
        final int tag;
        final String vr;
        /** The value length as printed: decimal, or "u/l" for undefined length. */
        final String length;
        final int vm;
        /** The value as printed; text without its brackets and with the +Qn quoting undone (one char per byte). */
        final String value;
        /** For a sequence or an item: the "#=N" count DCMTK prints. */
        final int count;
        final List<Node> children = new ArrayList<>();

        Node(Kind kind, int tag, String vr, String length, int vm, String value, int count) {
            this.kind = kind;
            this.tag = tag;
            this.vr = vr;
            this.length = length;
            this.vm = vm;
            this.value = value;
            this.count = count;
        }
    }

    /** The parsed listing of one file. */
    record Listing(String text, List<Node> meta, List<Node> dataset, String transferSyntax) {
    }

    /**
     * Runs {@code dcmdump OPTIONS extra... file}; fails if it exits non-zero or reports a warning or error.
     */
    static Listing dump(Peers peers, String name, Path file, String... extraOptions)
            throws IOException, InterruptedException {
        Peers.Result r = peers.run(name, file.getParent(),
                Peers.cmd("dcmdump", OPTIONS, List.of(extraOptions), file.toString())).assertSuccess();
        List<String> bad = r.dcmtkWarningsAndErrors();
        if (!bad.isEmpty()) {
            fail("dcmdump reported problems reading " + file + ":\n" + String.join("\n", bad));
        }
        return parse(r.out());
    }

    /** Parses dcmdump's listing. Unparseable lines fail the test: the format is exactly what is compared. */
    static Listing parse(String text) {
        List<Node> meta = new ArrayList<>();
        List<Node> dataset = new ArrayList<>();
        List<Node> current = dataset;
        String ts = null;
        Deque<Node> stack = new ArrayDeque<>(); // containers by depth
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                if (line.startsWith("# Dicom-Meta-Information-Header")) {
                    current = meta;
                    stack.clear();
                } else if (line.startsWith("# Dicom-Data-Set")) {
                    current = dataset;
                    stack.clear();
                } else if (line.startsWith("# Used TransferSyntax: ") && current == dataset) {
                    ts = line.substring("# Used TransferSyntax: ".length()).trim();
                }
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("cannot parse dcmdump line: '" + line + "'");
            }
            int depth = m.group(1).length() / 2;
            int tag = (int) Long.parseLong(m.group(2) + m.group(3), 16);
            String vr = m.group(4);
            String printed = m.group(5);
            String length = m.group(6);
            int vm = Integer.parseInt(m.group(7));
            if (tag == ITEM_DELIMITATION || tag == SEQUENCE_DELIMITATION) {
                continue;
            }
            while (stack.size() > depth) {
                stack.pop();
            }
            if (stack.size() != depth) {
                throw new AssertionError("dcmdump line nested deeper than its parent: '" + line + "'");
            }
            Node node;
            if (tag == ITEM) {
                if (depth == 0) {
                    throw new AssertionError("item outside a sequence: '" + line + "'");
                }
                node = vr.equals("pi")
                        ? new Node(Kind.FRAGMENT, tag, vr, length, vm, noValue(printed) ? "" : printed, 0)
                        : new Node(Kind.ITEM, tag, vr, length, vm, "", count(printed, line));
            } else if (vr.equals("SQ")) {
                node = new Node(Kind.SEQUENCE, tag, vr, length, vm, "", count(printed, line));
            } else if (printed.startsWith("(PixelSequence")) {
                node = new Node(Kind.PIXEL_SEQUENCE, tag, vr, length, vm, "", count(printed, line));
            } else {
                node = new Node(Kind.ELEMENT, tag, vr, length, vm, value(printed), 0);
            }
            if (depth == 0) {
                current.add(node);
            } else {
                stack.peek().children.add(node);
            }
            stack.push(node);
        }
        return new Listing(text, meta, dataset, ts);
    }

    private static boolean noValue(String printed) {
        return printed.equals("(no value available)");
    }

    private static int count(String printed, String line) {
        Matcher c = COUNT.matcher(printed);
        if (!c.find()) {
            throw new AssertionError("no item count in dcmdump line: '" + line + "'");
        }
        return Integer.parseInt(c.group(1));
    }

    private static String value(String printed) {
        if (noValue(printed)) {
            return "";
        }
        if (printed.startsWith("[") && printed.endsWith("]")) {
            return unquote(printed.substring(1, printed.length() - 1));
        }
        return printed;
    }

    /** Undoes +Qn: {@code &#N;} is byte N, and the five XML entities. */
    static String unquote(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '&') {
                b.append(c);
                continue;
            }
            int end = s.indexOf(';', i);
            if (end < 0) {
                throw new AssertionError("unterminated entity in dcmdump value: " + s);
            }
            String entity = s.substring(i + 1, end);
            switch (entity) {
                case "amp" -> b.append('&');
                case "lt" -> b.append('<');
                case "gt" -> b.append('>');
                case "quot" -> b.append('"');
                case "apos" -> b.append('\'');
                default -> {
                    if (!entity.startsWith("#")) {
                        throw new AssertionError("unknown entity &" + entity + "; in dcmdump value: " + s);
                    }
                    int code = Integer.parseInt(entity.substring(1));
                    if (code > 0xFF) {
                        throw new AssertionError("&#" + code + "; is not a byte in dcmdump value: " + s);
                    }
                    b.append((char) code);
                }
            }
            i = end;
        }
        return b.toString();
    }

    /** "(GGGG,EEEE)" with upper-case digits, as {@code Tag.toString} prints it. */
    static String tagText(int tag) {
        return String.format(Locale.ROOT, "(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }
}
