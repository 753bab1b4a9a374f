/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Starting autonta's own threads inside Unbound: with every signal
 * blocked, so that a signal meant for Unbound (reload, stop) is never
 * delivered to one of ours.
 */
#ifndef ATA_THREAD_H
#define ATA_THREAD_H
#include <pthread.h>
#include <signal.h>

/** pthread_create with all signals blocked in the new thread. */
static inline int
ata_thread_start(pthread_t* t, void* (*fn)(void*), void* arg)
{
	sigset_t all, old;
	int r;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(t, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return r;
}

#endif /* ATA_THREAD_H */
