package io.drover.lab.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.cni.ClusterDns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodResolvConfTest {

    @TempDir
    Path etcNetns;

    @Test
    void theFileSaysWhatTheKubeletWritesForAPodOfTheNamespace() {
        String text = PodResolvConf.render(new ClusterDns(List.of("10.96.0.10"), "cluster.local").forNamespace("shop"),
                "shop/web-1");
        assertThat(text.lines().filter(l -> !l.startsWith("#")).toList()).containsExactly(
                "search shop.svc.cluster.local svc.cluster.local cluster.local",
                "nameserver 10.96.0.10",
                "options ndots:5");
        assertThat(text).startsWith("# The resolver configuration of lab pod shop/web-1");
    }

    @Test
    void writtenWhereIpNetnsExecLooksOnlyWhenItChangesAndRemovedWithItsDirectory() throws Exception {
        PodResolvConf files = new PodResolvConf(etcNetns);
        assertThat(files.path("drl-x-p-1")).isEqualTo(etcNetns.resolve("drl-x-p-1/resolv.conf"));
        assertThat(files.read("drl-x-p-1")).isEmpty();
        assertThat(files.write("drl-x-p-1", "nameserver 10.96.0.10\n")).isTrue();
        assertThat(files.write("drl-x-p-1", "nameserver 10.96.0.10\n")).as("unchanged").isFalse();
        assertThat(files.read("drl-x-p-1")).contains("nameserver 10.96.0.10\n");
        assertThat(files.write("drl-x-p-1", "nameserver 10.96.0.11\n")).isTrue();
        assertThat(Files.list(etcNetns.resolve("drl-x-p-1")).map(p -> p.getFileName().toString()).toList())
                .as("no temporary file left").containsExactly("resolv.conf");
        files.write("drl-x-p-2", "x\n");
        files.write("drl-y-p-1", "y\n");
        assertThat(files.namespacesWithPrefix("drl-x-p-")).containsExactlyInAnyOrder("drl-x-p-1", "drl-x-p-2");
        files.remove("drl-x-p-1");
        assertThat(etcNetns.resolve("drl-x-p-1")).doesNotExist();
        files.remove("drl-x-p-1"); // again: nothing to do
        assertThat(files.namespacesWithPrefix("drl-x-p-")).containsExactly("drl-x-p-2");
    }

    @Test
    void aDirectoryWithSomethingElseInItStays() throws Exception {
        PodResolvConf files = new PodResolvConf(etcNetns);
        files.write("drl-x-p-1", "x\n");
        Files.writeString(etcNetns.resolve("drl-x-p-1/hosts"), "127.0.0.1 localhost\n");
        files.remove("drl-x-p-1");
        assertThat(etcNetns.resolve("drl-x-p-1/hosts")).exists();
        assertThat(etcNetns.resolve("drl-x-p-1/resolv.conf")).doesNotExist();
        files.removeDirectoryIfEmpty();
        assertThat(etcNetns).as("not empty: someone's").exists();
    }

    @Test
    void theDirectoryGoesWhenNothingIsLeftInIt() {
        PodResolvConf files = new PodResolvConf(etcNetns.resolve("netns"));
        files.write("drl-x-p-1", "x\n");
        files.remove("drl-x-p-1");
        files.removeDirectoryIfEmpty();
        assertThat(etcNetns.resolve("netns")).doesNotExist();
        files.removeDirectoryIfEmpty(); // again: nothing there
    }
}
