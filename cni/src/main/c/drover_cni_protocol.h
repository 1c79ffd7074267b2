/*
 * The socket protocol between the drover-cni executable and the Drover node agent.
 *
 * This header is the one place the protocol is written down. io.drover.cni.CniWire implements the same in Java,
 * and CniWireTest reads this file to check that every constant below has the same value there.
 *
 * Why a protocol at all: a runtime runs the CNI plugin once per call, and starting a JVM for each would cost far more
 * than the call itself. drover-cni is a small C program that forwards the call, as it received it, to the agent that
 * is already running, and prints the agent's answer. All validation and all semantics live in the agent
 * (io.drover.cni.CniDispatcher), so the executable never needs to change when they do.
 *
 * One connection carries one call. The executable connects to the agent's unix stream socket, writes one request
 * frame, reads one response frame, and both sides close.
 *
 *   frame    = length payload          length: u32, the number of payload bytes, at most DROVER_CNI_MAX_FRAME
 *   request  = magic count entry* stdin
 *              magic: u32 DROVER_CNI_REQUEST_MAGIC
 *              count: u32, the number of entries
 *              entry: u32 n, then n bytes "NAME=VALUE": every CNI_* environment variable, as the runtime set it
 *              stdin: u32 n, then n bytes: the network configuration, exactly as read from stdin
 *   response = magic exit stdout stderr
 *              magic: u32 DROVER_CNI_RESPONSE_MAGIC
 *              exit: u32, the exit status for the executable (0 success, 1 error as the reference plugins use)
 *              stdout, stderr: u32 n, then n bytes, written unchanged to the executable's stdout and stderr
 *
 * Every u32 is unsigned and big-endian. Bytes are bytes: nothing is escaped or re-encoded on the way, so a config
 * that is not valid JSON or not UTF-8 reaches the agent as it was and gets the right error back.
 *
 * Which socket: the top-level "socket" string of the network configuration, else the environment variable
 * DROVER_CNI_SOCKET_ENV, else DROVER_CNI_DEFAULT_SOCKET. The config field comes first so that one host can run
 * several agents (the lab runs one per node) with a config file each; the variable serves runtimes whose
 * configurations cannot be changed.
 *
 * Timeout: the whole exchange (connect, write, read) must finish within DROVER_CNI_DEFAULT_TIMEOUT_SECONDS, or the
 * number of seconds in DROVER_CNI_TIMEOUT_ENV; otherwise the executable reports CNI error 11 (try again later).
 *
 * Answered without the agent: no CNI_COMMAND (the "about" text on stderr, exit 0, as the reference plugins do) and
 * VERSION (the supported versions below), so both work while the agent is down. With the agent unreachable, every
 * other command gets CNI error 11 saying to start it.
 */
#ifndef DROVER_CNI_PROTOCOL_H
#define DROVER_CNI_PROTOCOL_H

#define DROVER_CNI_REQUEST_MAGIC 0x44524331u /* "DRC1" */
#define DROVER_CNI_RESPONSE_MAGIC 0x44524131u /* "DRA1" */
#define DROVER_CNI_MAX_FRAME 16777216u /* 16 MiB: configurations are a few KiB; this bounds a bad peer */
#define DROVER_CNI_DEFAULT_SOCKET "/run/drover/agent.sock"
#define DROVER_CNI_SOCKET_ENV "DROVER_AGENT_SOCKET"
#define DROVER_CNI_TIMEOUT_ENV "DROVER_CNI_TIMEOUT"
#define DROVER_CNI_DEFAULT_TIMEOUT_SECONDS 60
#define DROVER_CNI_SPEC_VERSION "1.1.0"
#define DROVER_CNI_SUPPORTED_VERSIONS "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"

#endif
