package io.drover.store;

/**
 * A guard of a {@link Txn}, as etcd's compare: a field of one key against a number. A key that does not
 * exist has all fields 0, so {@code Compare.modRevision(k, EQUAL, 0)} means "k does not exist".
 */
public record Compare(String key, Target target, Result result, long value) {

    public enum Target { CREATE_REVISION, MOD_REVISION, VERSION, LEASE }

    public enum Result { EQUAL, NOT_EQUAL, LESS, GREATER }

    public static Compare modRevisionIs(String key, long revision) {
        return new Compare(key, Target.MOD_REVISION, Result.EQUAL, revision);
    }

    public static Compare absent(String key) {
        return new Compare(key, Target.CREATE_REVISION, Result.EQUAL, 0);
    }

    public static Compare present(String key) {
        return new Compare(key, Target.CREATE_REVISION, Result.GREATER, 0);
    }

    public boolean holdsFor(KeyValue current) {
        long actual = current == null ? 0 : switch (target) {
            case CREATE_REVISION -> current.createRevision();
            case MOD_REVISION -> current.modRevision();
            case VERSION -> current.version();
            case LEASE -> current.lease();
        };
        return switch (result) {
            case EQUAL -> actual == value;
            case NOT_EQUAL -> actual != value;
            case LESS -> actual < value;
            case GREATER -> actual > value;
        };
    }
}
