package io.drover.cli.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code dig +noall +comments +answer +authority +stats} printed: the status, the server that answered (with
 * the transport), and the records of the answer and authority sections.
 *
 * @param text the output as it was, for failure messages
 */
record DigAnswer(String status, String server, List<Rr> answers, List<Rr> authorities, String text) {

    /** One record as dig prints it: owner, TTL, class, type, data. */
    record Rr(String name, String type, String data) {}

    private static final Pattern STATUS = Pattern.compile("status: ([A-Z]+)");
    private static final Pattern SERVER = Pattern.compile("^;; SERVER: (.*)$", Pattern.MULTILINE);
    private static final Pattern RECORD = Pattern.compile("^(\\S+)\\s+\\d+\\s+IN\\s+(\\S+)\\s+(.*)$");

    static DigAnswer parse(String out) {
        Matcher status = STATUS.matcher(out);
        Matcher server = SERVER.matcher(out);
        List<Rr> answers = new ArrayList<>();
        List<Rr> authorities = new ArrayList<>();
        List<Rr> section = null;
        for (String line : out.lines().toList()) {
            if (line.startsWith(";; ANSWER SECTION")) {
                section = answers;
            } else if (line.startsWith(";; AUTHORITY SECTION")) {
                section = authorities;
            } else if (line.startsWith(";") || line.isBlank()) {
                if (line.isBlank()) {
                    section = null;
                }
            } else if (section != null) {
                Matcher m = RECORD.matcher(line.strip());
                if (m.matches()) {
                    section.add(new Rr(m.group(1), m.group(2), m.group(3).strip()));
                }
            }
        }
        return new DigAnswer(status.find() ? status.group(1) : "(no status)", server.find() ? server.group(1).strip()
                : "(no server)", answers, authorities, out);
    }

    /** The data of the answer's records of one type, in order. */
    List<String> records(String type) {
        return answers.stream().filter(r -> r.type().equals(type)).map(Rr::data).toList();
    }

    List<String> authority(String type) {
        return authorities.stream().filter(r -> r.type().equals(type)).map(Rr::data).toList();
    }
}
