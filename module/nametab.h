/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * A small hash table keyed by domain names in presentation format (already
 * lower case), used by autonta's thread only. Callers bound its size.
 */
#ifndef ATA_NAMETAB_H
#define ATA_NAMETAB_H
#include <stddef.h>
#include <stdint.h>

/** One entry. */
struct ata_nametab_node {
	/** next in the bucket */
	struct ata_nametab_node* next;
	/** hash of name */
	uint64_t hash;
	/** the caller's value */
	void* value;
	/** the key, NUL-terminated */
	char name[];
};

/** The table. */
struct ata_nametab {
	/** bucket heads */
	struct ata_nametab_node** buckets;
	/** number of buckets (a power of two) */
	size_t nbuckets;
	/** number of entries */
	size_t count;
};

/** FNV-1a hash of a string (also used for distinct-name sets). */
uint64_t ata_hash_name(const char* name);

/** Initialise an empty table; 0 or -1 when out of memory. */
int ata_nametab_init(struct ata_nametab* t);

/** The value stored for name, or NULL. */
void* ata_nametab_get(const struct ata_nametab* t, const char* name);

/**
 * Store value for name (which must not be present yet).
 * @return 0, or -1 when out of memory.
 */
int ata_nametab_put(struct ata_nametab* t, const char* name, void* value);

/**
 * Remove name's entry (the value is the caller's to free).
 * @return its value, or NULL when absent.
 */
void* ata_nametab_remove(struct ata_nametab* t, const char* name);

/** Call fn(name, value, arg) for every entry, in no particular order. */
void ata_nametab_foreach(const struct ata_nametab* t,
	void (*fn)(const char* name, void* value, void* arg), void* arg);

/**
 * Remove every entry for which keep(name, value, arg) returns 0, calling
 * free_value on its value. keep NULL removes all.
 */
void ata_nametab_filter(struct ata_nametab* t,
	int (*keep)(const char* name, void* value, void* arg), void* arg,
	void (*free_value)(void* value));

/** Free the table (calling free_value on every value unless NULL). */
void ata_nametab_deinit(struct ata_nametab* t, void (*free_value)(void*));

/** Approximate bytes used by the table itself (not the values). */
size_t ata_nametab_mem(const struct ata_nametab* t);

#endif /* ATA_NAMETAB_H */
