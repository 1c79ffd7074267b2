package io.drover.cni;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cases of shared/conformance/cni/reference-plugin-transcript.txt: what the reference plugins printed for good and
 * bad calls. Each case has a title, the CNI_* environment, stdin, the exit status and the output.
 */
record Transcript(Map<String, Case> cases) {

    record Case(String title, Map<String, String> env, String plugin, String stdin, int exit, String stdout,
            String stderr) {}

    static Transcript load() throws IOException {
        String text = CniResultTest.resource("reference-plugin-transcript.txt");
        Map<String, Case> cases = new LinkedHashMap<>();
        for (String block : text.split("(?m)^### ")) {
            if (block.isBlank()) {
                continue;
            }
            String title = block.substring(0, block.indexOf('\n')).strip();
            String command = line(block, "$ ");
            int bin = command.indexOf("<cni-bin-dir>/");
            Map<String, String> env = new LinkedHashMap<>();
            for (String token : command.substring(0, bin).strip().split("\\s+")) {
                if (!token.isEmpty()) {
                    int eq = token.indexOf('=');
                    env.put(token.substring(0, eq), token.substring(eq + 1));
                }
            }
            String rest = command.substring(bin + "<cni-bin-dir>/".length());
            String plugin = rest.substring(0, rest.indexOf(' '));
            String stdin = rest.substring(rest.indexOf("<<< ") + 4);
            int exit = Integer.parseInt(line(block, "exit="));
            int out = block.indexOf("\nstdout: ") + "\nstdout: ".length();
            int err = block.indexOf("\nstderr: ");
            String stdout = (err > 0 ? block.substring(out, err) : block.substring(out)).strip();
            String stderr = err > 0 ? block.substring(err + "\nstderr: ".length()).strip() : "";
            cases.put(title, new Case(title, env, plugin, stdin, exit, stdout, stderr));
        }
        return new Transcript(cases);
    }

    private static String line(String block, String prefix) {
        for (String l : block.split("\n")) {
            if (l.startsWith(prefix)) {
                return l.substring(prefix.length());
            }
        }
        throw new IllegalArgumentException("no line starting with " + prefix + " in " + block);
    }

    Case get(String title) {
        Case c = cases.get(title);
        if (c == null) {
            throw new IllegalArgumentException("the transcript has no case \"" + title + "\"; it has " + cases.keySet());
        }
        return c;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
