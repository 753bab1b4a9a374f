/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * The control socket: a UNIX stream socket (mode 0660) served by a thread
 * of autonta's own with libevent. It reads one request line per
 * connection, answers malformed ones itself and hands the others, parsed,
 * to the runtime (which owns all state and runs commands on its thread);
 * the runtime's reply goes back to the client and the connection closes.
 * A socket file left behind by a process that died is replaced; one that
 * a live process still serves is an error.
 */
#ifndef ATA_CONTROL_H
#define ATA_CONTROL_H
#include "ctlproto.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/** Most connections served at once; more are answered "busy". */
#define ATA_CTL_MAX_CLIENTS 16
/** Seconds a connection may live (request, command, reply). */
#define ATA_CTL_CONN_TIMEOUT 30

/** A request for the runtime. */
struct ata_ctl_job {
	/** next in the runtime's list */
	struct ata_ctl_job* next;
	/** the connection to answer (ata_control_reply) */
	uint64_t conn;
	/** the request */
	struct ata_ctl_request req;
	/** the client's credentials (SO_PEERCRED), -1 if unknown */
	long uid, pid;
	/** for the runtime: when a deferred reply gives up (monotonic s) */
	long long deadline;
};

/** Hand a job to the runtime (called on the control thread; the runtime
 *  owns the job from then on and must answer it, once). */
typedef void (*ata_control_submit_fn)(void* arg, struct ata_ctl_job* job);

struct ata_control;

/**
 * Create the socket and start the thread.
 * @param path: the socket file.
 * @param submit, arg: where requests go.
 * @param err: receives the reason on failure.
 * @return the server, or NULL.
 */
struct ata_control* ata_control_create(const char* path,
	ata_control_submit_fn submit, void* arg, char* err, size_t errlen);

/**
 * Answer a job's connection (any thread; the line is copied, a newline
 * added). A connection that is gone is ignored.
 */
void ata_control_reply(struct ata_control* c, uint64_t conn,
	const char* line);

/**
 * From now on answer new requests "stopping" at once, without submitting
 * them: called before the runtime stops, so that every submitted job is
 * answered by it. NULL is fine.
 */
void ata_control_refuse(struct ata_control* c);

/** Stop the thread, close every connection, remove the socket file.
 *  NULL is fine. */
void ata_control_delete(struct ata_control* c);

/** An error reply line (malloc'ed JSON; NULL when out of memory). */
char* ata_ctl_error_line(const char* command, const char* code,
	const char* error);

#endif /* ATA_CONTROL_H */
