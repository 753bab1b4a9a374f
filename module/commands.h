/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * The control commands, run on autonta's thread (see commands.c). The
 * control thread (control.h) submits parsed requests; autonta's thread
 * runs them each time it wakes.
 */
#ifndef ATA_COMMANDS_H
#define ATA_COMMANDS_H

struct ata_ctl_job;
struct ata_runtime;

/**
 * Hand a request to autonta's thread and wake it (the control thread's
 * submit function; arg is the runtime).
 */
void ata_commands_submit(void* arg, struct ata_ctl_job* job);

/** Run the requests handed over, and answer the waiting ones that are
 *  done or have waited too long (autonta's thread). */
void ata_commands_run(struct ata_runtime* rt);

/** Answer every open request with "stopping" (autonta's thread, at the
 *  end). */
void ata_commands_stop(struct ata_runtime* rt);

#endif /* ATA_COMMANDS_H */
