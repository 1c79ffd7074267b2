package io.drover.controllers.ipam;

import java.util.List;

/** One thing asked of a network's allocator; requests of the same node are planned and written together. */
sealed interface IpamRequest {

    String handleKey();

    /** Addresses for {@code handle}, from {@code node}'s blocks when it can. */
    record Allocate(HandleId handle) implements IpamRequest {
        @Override
        public String handleKey() {
            return handle.toString();
        }
    }

    /** Frees what {@code record} holds; {@code modRevision} is the handle key's, compared when deleting it. */
    record Release(HandleRecord record, long modRevision) implements IpamRequest {
        @Override
        public String handleKey() {
            return record.handle();
        }
    }

    /** What became of a request. */
    sealed interface Outcome {
        record Allocated(List<AllocatedAddress> addresses) implements Outcome {}

        record Released(boolean released) implements Outcome {}

        record Failed(IpamException error) implements Outcome {}
    }
}
