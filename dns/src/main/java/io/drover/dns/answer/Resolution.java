package io.drover.dns.answer;

import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/** What the answerer made of a query: an answer of its own, or a name it does not serve. */
public sealed interface Resolution {

    /**
     * The answer from the cluster's records.
     *
     * @param externalTarget the CNAME target outside the zone the answer ends at (an ExternalName service), which
     *                       a resolver may follow upstream; null when the answer is complete
     */
    record Answered(Message message, Name externalTarget) implements Resolution {}

    /** Not the cluster's name: forward it (or refuse it when there is nowhere to forward to). */
    record NotOurs() implements Resolution {}
}
