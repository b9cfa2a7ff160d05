package org.cameldicomsecure.sign;

import java.util.ArrayList;
import java.util.List;

import org.cameldicomsecure.dicom.Dataset;
import org.cameldicomsecure.dicom.Sequence;
import org.cameldicomsecure.dicom.Tag;
import org.cameldicomsecure.dicom.dict.Dictionary;

/**
 * The location of a sequence item inside a data set: steps {@code SEQUENCE[index]} joined by dots, where SEQUENCE is
 * a keyword ({@code ReferencedImageSequence}), {@code (gggg,eeee)} or {@code ggggeeee}, and index counts from 0, as
 * DCMTK's {@code dcmsign --sign-item} locations ({@code "(0008,1140)[0]"}). The empty path is the data set itself.
 */
public final class ItemPath {

    private record Step(int tag, int index) {
    }

    private final List<Step> steps;

    private ItemPath(List<Step> steps) {
        this.steps = steps;
    }

    /**
     * Parses a path.
     *
     * @throws IllegalArgumentException naming the step that is not {@code SEQUENCE[index]}
     */
    public static ItemPath parse(String text) {
        List<Step> steps = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return new ItemPath(steps);
        }
        for (String step : text.trim().split("\\.")) {
            int open = step.indexOf('[');
            if (open <= 0 || !step.endsWith("]")) {
                throw new IllegalArgumentException("item path step \"" + step + "\" is not SEQUENCE[index] (e.g. "
                        + "ReferencedImageSequence[0] or (0008,1140)[0])");
            }
            int tag = Dictionary.standard().parseTag(step.substring(0, open).trim());
            int index;
            try {
                index = Integer.parseInt(step.substring(open + 1, step.length() - 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("item path step \"" + step + "\" has no item number", e);
            }
            if (index < 0) {
                throw new IllegalArgumentException("item path step \"" + step + "\": item numbers count from 0");
            }
            steps.add(new Step(tag, index));
        }
        return new ItemPath(steps);
    }

    /**
     * The item this path names inside {@code ds}.
     *
     * @throws SignatureException naming the step that has no such sequence or item
     */
    public Dataset resolve(Dataset ds) throws SignatureException {
        Dataset at = ds;
        StringBuilder walked = new StringBuilder();
        for (Step s : steps) {
            walked.append(walked.length() == 0 ? "" : ".").append(Tag.toString(s.tag)).append('[').append(s.index).append(']');
            Sequence seq = at.getSequence(s.tag);
            if (seq == null) {
                throw new SignatureException("item path " + walked + ": " + Tag.toString(s.tag)
                        + " is not a sequence in the data set");
            }
            if (s.index >= seq.size()) {
                throw new SignatureException("item path " + walked + ": the sequence has " + seq.size() + " item(s)");
            }
            at = seq.get(s.index);
        }
        return at;
    }

    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /** The path in {@code (gggg,eeee)[i]} form. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Step s : steps) {
            b.append(b.length() == 0 ? "" : ".").append(Tag.toString(s.tag)).append('[').append(s.index).append(']');
        }
        return b.toString();
    }

    static String child(String parent, int tag, int index) {
        return (parent.isEmpty() ? "" : parent + ".") + Tag.toString(tag) + "[" + index + "]";
    }
}
