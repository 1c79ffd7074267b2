/*
 * drover-cni: Drover's CNI plugin executable.
 *
 * Runtimes (podman, containerd, CRI-O, the Drover lab) run a CNI plugin once per call. Drover's CNI logic lives in the
 * node agent, a long-running JVM; this program only carries each call there and carries the answer back, so a call
 * costs a fork, a connect and two small messages instead of a JVM start. It does no validation of its own: the agent
 * checks everything and answers exactly as the reference plugins would (io.drover.cni.CniDispatcher).
 *
 * The protocol, the socket it connects to and the timeout are described in drover_cni_protocol.h.
 *
 * Answered here, without the agent: no CNI_COMMAND (the "about" text) and VERSION, so that both work while the agent
 * is down; and the errors of not reaching the agent (code 11, "try again later", saying how to start it).
 *
 * Written to be boring: no dynamic allocation beyond two growable buffers bounded by DROVER_CNI_MAX_FRAME, every read
 * and write looped until complete, every wait bounded by one deadline for the whole exchange.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "drover_cni_protocol.h"

#ifndef DROVER_VERSION
#define DROVER_VERSION "unknown"
#endif

/* The frame limit plus its 4-byte length prefix: the largest buffer the program ever holds. */
#define BUF_LIMIT ((size_t)DROVER_CNI_MAX_FRAME + 4u)

extern char **environ;

static const char *const supported_versions[] = {DROVER_CNI_SUPPORTED_VERSIONS};
#define SUPPORTED_COUNT (sizeof supported_versions / sizeof supported_versions[0])

/* The cniVersion errors are reported in: the configuration's when it is supported (set in main). */
static const char *error_version = DROVER_CNI_SPEC_VERSION;

/* ---- output --------------------------------------------------------------------------------------------------- */

/* Writes all of p to fd; waits out a non-blocking descriptor rather than dropping output. */
static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                struct pollfd pfd = {.fd = fd, .events = POLLOUT};
                (void)poll(&pfd, 1, -1);
                continue;
            }
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* A JSON string as Go writes it (HTML-safe), so that errors printed here look like the agent's. */
static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (c < 0x20 || c == '<' || c == '>' || c == '&')
                fprintf(out, "\\u%04x", c);
            else
                fputc(c, out);
        }
    }
    fputc('"', out);
}

/* Prints the specification's error object on stdout, indented as the reference plugins print it; returns exit 1. */
static int fail(int code, const char *msg, const char *details)
{
    fputs("{\n    \"cniVersion\": ", stdout);
    json_string(stdout, error_version);
    printf(",\n    \"code\": %d,\n    \"msg\": ", code);
    json_string(stdout, msg);
    if (details && *details) {
        fputs(",\n    \"details\": ", stdout);
        json_string(stdout, details);
    }
    fputs("\n}", stdout);
    fflush(stdout);
    return 1;
}

static void print_about(void)
{
    fprintf(stderr, "CNI drover plugin version %s\nCNI protocol versions supported: ", DROVER_VERSION);
    for (size_t i = 0; i < SUPPORTED_COUNT; i++)
        fprintf(stderr, "%s%s", i ? ", " : "", supported_versions[i]);
    fputc('\n', stderr);
}

/* VERSION, as libcni encodes it: one line of compact JSON. */
static void print_version(void)
{
    printf("{\"cniVersion\":\"%s\",\"supportedVersions\":[", DROVER_CNI_SPEC_VERSION);
    for (size_t i = 0; i < SUPPORTED_COUNT; i++)
        printf("%s\"%s\"", i ? "," : "", supported_versions[i]);
    fputs("]}\n", stdout);
    fflush(stdout);
}

/* ---- buffers -------------------------------------------------------------------------------------------------- */

/* A growable byte buffer that never holds more than BUF_LIMIT bytes, so no size arithmetic can overflow. */
struct buf {
    unsigned char *data;
    size_t len, cap;
};

static int buf_append(struct buf *b, const void *p, size_t n)
{
    if (n > BUF_LIMIT - b->len)
        return -1;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n)
            cap *= 2;
        unsigned char *grown = realloc(b->data, cap);
        if (!grown)
            return -1;
        b->data = grown;
        b->cap = cap;
    }
    if (n > 0)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    return 0;
}

static void put_u32_at(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static int buf_u32(struct buf *b, uint32_t v)
{
    unsigned char be[4];
    put_u32_at(be, v);
    return buf_append(b, be, 4);
}

static int buf_blob(struct buf *b, const void *p, size_t n)
{
    if (n > DROVER_CNI_MAX_FRAME)
        return -1;
    return buf_u32(b, (uint32_t)n) < 0 ? -1 : buf_append(b, p, n);
}

/* Reads stdin to the end. -1 on a read error, -2 when it is larger than a frame can carry. */
static int read_stdin(struct buf *b)
{
    unsigned char chunk[65536];
    for (;;) {
        ssize_t r = read(STDIN_FILENO, chunk, sizeof chunk);
        if (r == 0)
            return 0;
        if (r < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
                (void)poll(&pfd, 1, -1);
                continue;
            }
            return -1;
        }
        if (b->len + (size_t)r > DROVER_CNI_MAX_FRAME || buf_append(b, chunk, (size_t)r) < 0)
            return -2;
    }
}

/* ---- a minimal look into the configuration ---------------------------------------------------------------------- */

/*
 * The executable needs two top-level strings before it can talk to the agent: "socket" (where the agent is) and
 * "cniVersion" (for its own error messages). This is not a JSON validator: whatever it cannot read it leaves unset,
 * and the agent, which parses the configuration properly, reports what is wrong with it.
 */
struct scan {
    const unsigned char *s;
    size_t n, i;
};

static void skip_ws(struct scan *p)
{
    while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' || p->s[p->i] == '\r'))
        p->i++;
}

/*
 * Reads the JSON string at the cursor. With out, copies it NUL-terminated. Returns -1 when malformed, 1 when
 * well-formed but not usable here (too long for out, or a \u escape outside ASCII or of NUL), 0 when copied.
 */
static int scan_string(struct scan *p, char *out, size_t outsz)
{
    size_t o = 0;
    int usable = 1;
    if (p->i >= p->n || p->s[p->i] != '"')
        return -1;
    p->i++;
    while (p->i < p->n) {
        unsigned char c = p->s[p->i++];
        if (c == '"') {
            if (out)
                out[o] = '\0';
            return usable ? 0 : 1;
        }
        if (c < 0x20)
            return -1;
        if (c == '\\') {
            if (p->i >= p->n)
                return -1;
            unsigned char e = p->s[p->i++];
            switch (e) {
            case '"': case '\\': case '/': c = e; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'u': {
                unsigned v = 0;
                if (p->n - p->i < 4)
                    return -1;
                for (int k = 0; k < 4; k++) {
                    unsigned char h = p->s[p->i++];
                    v <<= 4;
                    if (h >= '0' && h <= '9')
                        v |= (unsigned)(h - '0');
                    else if (h >= 'a' && h <= 'f')
                        v |= (unsigned)(h - 'a' + 10);
                    else if (h >= 'A' && h <= 'F')
                        v |= (unsigned)(h - 'A' + 10);
                    else
                        return -1;
                }
                if (v == 0 || v > 0x7f)
                    usable = 0;
                c = (unsigned char)v;
                break;
            }
            default:
                return -1;
            }
        }
        if (out) {
            if (o + 1 >= outsz)
                usable = 0;
            else if (usable)
                out[o++] = (char)c;
        }
    }
    return -1;
}

/* Steps over one value of any kind (nested ones by counting brackets outside strings). */
static int skip_value(struct scan *p)
{
    long depth = 0;
    do {
        skip_ws(p);
        if (p->i >= p->n)
            return -1;
        unsigned char c = p->s[p->i];
        if (c == '"') {
            if (scan_string(p, NULL, 0) < 0)
                return -1;
        } else if (c == '{' || c == '[') {
            depth++;
            p->i++;
        } else if (c == '}' || c == ']') {
            if (depth == 0)
                return -1;
            depth--;
            p->i++;
        } else if (c == ',' || c == ':') {
            if (depth == 0)
                return -1;
            p->i++;
        } else {
            size_t start = p->i;
            while (p->i < p->n && p->s[p->i] != 0 && !strchr(",:]}{[\" \t\r\n", p->s[p->i]))
                p->i++;
            if (p->i == start)
                return -1;
        }
    } while (depth > 0);
    return 0;
}

/* Finds the top-level "socket" and "cniVersion" strings; a later duplicate wins, as in Go. */
static void scan_config(const unsigned char *s, size_t n, char *socket, size_t socketsz, char *version,
                        size_t versionsz)
{
    struct scan p = {.s = s, .n = n, .i = 0};
    skip_ws(&p);
    if (p.i >= n || s[p.i] != '{')
        return;
    p.i++;
    for (;;) {
        char key[32];
        char *target = NULL;
        size_t targetsz = 0;
        int k;

        skip_ws(&p);
        if (p.i >= n || s[p.i] == '}')
            return;
        k = scan_string(&p, key, sizeof key);
        if (k < 0)
            return;
        skip_ws(&p);
        if (p.i >= n || s[p.i] != ':')
            return;
        p.i++;
        skip_ws(&p);
        if (k == 0 && strcmp(key, "socket") == 0) {
            target = socket;
            targetsz = socketsz;
        } else if (k == 0 && strcmp(key, "cniVersion") == 0) {
            target = version;
            targetsz = versionsz;
        }
        if (target && p.i < n && s[p.i] == '"') {
            int r = scan_string(&p, target, targetsz);
            if (r != 0)
                target[0] = '\0';
            if (r < 0)
                return;
        } else if (skip_value(&p) < 0) {
            return;
        }
        skip_ws(&p);
        if (p.i >= n || s[p.i] != ',')
            return;
        p.i++;
    }
}

/* ---- talking to the agent ---------------------------------------------------------------------------------------- */

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Waits until fd is ready for events, or fails with ETIMEDOUT at the deadline. */
static int wait_fd(int fd, short events, int64_t deadline)
{
    for (;;) {
        int64_t left = deadline - now_ms();
        if (left <= 0) {
            errno = ETIMEDOUT;
            return -1;
        }
        struct pollfd pfd = {.fd = fd, .events = events};
        int r = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left);
        if (r > 0)
            return 0; /* ready, or an error/hangup that the next send/recv reports */
        if (r == 0) {
            errno = ETIMEDOUT;
            return -1;
        }
        if (errno != EINTR)
            return -1;
    }
}

static int send_all(int fd, const unsigned char *p, size_t n, int64_t deadline)
{
    while (n > 0) {
        if (wait_fd(fd, POLLOUT, deadline) < 0)
            return -1;
        /* MSG_NOSIGNAL: an agent that hangs up must give EPIPE here, not a SIGPIPE that kills us silently. */
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads exactly n bytes. -1 with errno on error or timeout, -2 when the agent closed the connection first. */
static int recv_all(int fd, unsigned char *p, size_t n, int64_t deadline)
{
    while (n > 0) {
        if (wait_fd(fd, POLLIN, deadline) < 0)
            return -1;
        ssize_t r = recv(fd, p, n, MSG_DONTWAIT);
        if (r == 0)
            return -2;
        if (r < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
                continue;
            if (errno == ECONNRESET)
                return -2;
            return -1;
        }
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

static const char *start_hint =
    "start it with: drover agent (the socket is the network config's \"socket\", else $" DROVER_CNI_SOCKET_ENV
    ", else " DROVER_CNI_DEFAULT_SOCKET ")";

/* Reports a failed exchange as the CNI error that tells the runtime (and its operator) what to do. */
static int exchange_failed(int rc, int err, const char *path, int timeout_s)
{
    char details[1024];
    if (rc == -2) {
        snprintf(details, sizeof details, "the agent on %s hung up before answering; it may be restarting, so retry"
                 " (if this persists, see the agent's log)", path);
        return fail(11, "the Drover node agent closed the connection before answering", details);
    }
    if (err == ETIMEDOUT || err == EAGAIN) {
        snprintf(details, sizeof details, "no answer from %s within %d s; the agent may be overloaded or stuck: see"
                 " its log (%s sets the timeout in seconds)", path, timeout_s, DROVER_CNI_TIMEOUT_ENV);
        return fail(11, "the Drover node agent did not answer in time", details);
    }
    snprintf(details, sizeof details, "talking to the agent on %s: %s", path, strerror(err));
    return fail(5, "I/O failure talking to the Drover node agent", details);
}

/* The program's only heap memory, released at exit on every path (so that leak checkers stay quiet). */
static struct buf in, req;
static unsigned char *payload;

static void release(void)
{
    free(in.data);
    free(req.data);
    free(payload);
}

int main(void)
{
    char socket_path[4096] = "", version[32] = "", details[1024];
    int timeout_s = DROVER_CNI_DEFAULT_TIMEOUT_SECONDS;
    uint32_t count = 0;
    int rc;

    /* Belt and braces with MSG_NOSIGNAL: a closed stdout must not kill us either before the exit status is set. */
    signal(SIGPIPE, SIG_IGN);
    atexit(release);

    const char *command = getenv("CNI_COMMAND");
    if (!command || !*command) {
        print_about();
        return 0;
    }
    if (strcmp(command, "VERSION") == 0) {
        print_version();
        return 0;
    }

    rc = read_stdin(&in);
    if (rc == -1) {
        snprintf(details, sizeof details, "%s", strerror(errno));
        return fail(5, "error reading from stdin", details);
    }
    if (rc == -2)
        return fail(5, "error reading from stdin", "the network configuration is larger than 16 MiB");

    scan_config(in.data, in.len, socket_path, sizeof socket_path, version, sizeof version);
    for (size_t i = 0; i < SUPPORTED_COUNT; i++)
        if (strcmp(version, supported_versions[i]) == 0)
            error_version = supported_versions[i];

    if (!socket_path[0]) {
        const char *env = getenv(DROVER_CNI_SOCKET_ENV);
        snprintf(socket_path, sizeof socket_path, "%s", env && *env ? env : DROVER_CNI_DEFAULT_SOCKET);
    }
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(socket_path) >= sizeof addr.sun_path) {
        snprintf(details, sizeof details, "%.200s... has %zu bytes; a unix socket path has at most %zu",
                 socket_path, strlen(socket_path), sizeof addr.sun_path - 1);
        return fail(7, "the Drover agent socket path is too long", details);
    }
    memcpy(addr.sun_path, socket_path, strlen(socket_path) + 1);
    /* From here on the path is known to fit sun_path, which bounds every message that quotes it. */
    const char *path = addr.sun_path;

    const char *t = getenv(DROVER_CNI_TIMEOUT_ENV);
    if (t && *t) {
        char *end;
        long v = strtol(t, &end, 10);
        if (*end == '\0' && v > 0 && v <= 86400)
            timeout_s = (int)v;
    }
    int64_t deadline = now_ms() + (int64_t)timeout_s * 1000;

    /* The request frame, built whole so it goes out in as few writes as the socket allows. */
    if (buf_u32(&req, 0) < 0 || buf_u32(&req, DROVER_CNI_REQUEST_MAGIC) < 0 || buf_u32(&req, 0) < 0)
        return fail(5, "out of memory", NULL);
    for (char **e = environ; *e; e++) {
        if (strncmp(*e, "CNI_", 4) != 0)
            continue;
        if (buf_blob(&req, *e, strlen(*e)) < 0)
            return fail(5, "the call is too large to send to the Drover node agent", "its frame exceeds 16 MiB");
        count++;
    }
    if (buf_blob(&req, in.data, in.len) < 0 || req.len - 4 > DROVER_CNI_MAX_FRAME)
        return fail(5, "the call is too large to send to the Drover node agent", "its frame exceeds 16 MiB");
    put_u32_at(req.data, (uint32_t)(req.len - 4));
    put_u32_at(req.data + 8, count);

    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(details, sizeof details, "socket: %s", strerror(errno));
        return fail(5, "I/O failure talking to the Drover node agent", details);
    }
    /* A blocking connect to a unix socket waits while the agent's backlog is full; bound that wait too. */
    struct timeval tv = {.tv_sec = timeout_s, .tv_usec = 0};
    (void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        int err = errno;
        close(fd);
        if (err == ENOENT || err == ECONNREFUSED || err == ENOTDIR) {
            snprintf(details, sizeof details, "no agent answers on %s (%s); %s", path, strerror(err),
                     start_hint);
            return fail(11, "the Drover node agent is not running", details);
        }
        if (err == EAGAIN || err == ETIMEDOUT)
            return exchange_failed(-1, ETIMEDOUT, path, timeout_s);
        if (err == EACCES || err == EPERM) {
            snprintf(details, sizeof details, "cannot connect to %s: %s; run the plugin as a user that may use the"
                     " agent's socket (runtimes run it as root)", path, strerror(err));
            return fail(5, "permission denied talking to the Drover node agent", details);
        }
        return exchange_failed(-1, err, path, timeout_s);
    }

    rc = send_all(fd, req.data, req.len, deadline);
    if (rc < 0) {
        int err = errno;
        close(fd);
        return exchange_failed(err == EPIPE || err == ECONNRESET ? -2 : -1, err, path, timeout_s);
    }

    unsigned char header[4];
    rc = recv_all(fd, header, sizeof header, deadline);
    if (rc < 0) {
        int err = errno;
        close(fd);
        return exchange_failed(rc, err, path, timeout_s);
    }
    uint32_t len = get_u32(header);
    if (len < 16 || len > DROVER_CNI_MAX_FRAME) {
        close(fd);
        snprintf(details, sizeof details, "a frame of %u bytes from %s; is another program listening there?", len,
                 path);
        return fail(5, "bad answer from the Drover node agent", details);
    }
    payload = malloc(len);
    if (!payload) {
        close(fd);
        return fail(5, "out of memory", NULL);
    }
    rc = recv_all(fd, payload, len, deadline);
    int err = errno;
    close(fd);
    if (rc < 0)
        return exchange_failed(rc, err, path, timeout_s);

    /* magic, exit status, stdout, stderr: check every length against what is left before using it. */
    uint32_t exit_code = get_u32(payload + 4);
    size_t off = 8;
    uint32_t out_len = get_u32(payload + off);
    off += 4;
    const unsigned char *out = payload + off;
    int ok = get_u32(payload) == DROVER_CNI_RESPONSE_MAGIC && out_len <= len - off;
    uint32_t err_len = 0;
    const unsigned char *errp = NULL;
    if (ok) {
        off += out_len;
        ok = len - off >= 4;
    }
    if (ok) {
        err_len = get_u32(payload + off);
        off += 4;
        errp = payload + off;
        ok = err_len == len - off;
    }
    if (!ok) {
        snprintf(details, sizeof details, "a malformed response from %s; is another program listening there?",
                 path);
        return fail(5, "bad answer from the Drover node agent", details);
    }

    /* A runtime that cannot read the answer must not take it for a success: a failed stdout write exits 1. */
    rc = write_all(STDOUT_FILENO, out, out_len);
    (void)write_all(STDERR_FILENO, errp, err_len);
    if (rc < 0)
        return 1;
    return exit_code > 255 ? 1 : (int)exit_code;
}
