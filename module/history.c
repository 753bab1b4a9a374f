/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * History of secure answers per zone, see history.h.
 */
#include "history.h"
#include "fileutil.h"

#include "policy.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
ata_history_init(struct ata_history* h)
{
	h->dirty = 0;
	return ata_nametab_init(&h->zones);
}

void
ata_history_deinit(struct ata_history* h)
{
	ata_nametab_deinit(&h->zones, NULL);
}

static void
set_time(struct ata_history* h, const char* zone, time_t t)
{
	struct ata_nametab_node* n;
	uint64_t hash = ata_hash_name(zone);
	for(n = h->zones.buckets[hash & (h->zones.nbuckets - 1)]; n;
		n = n->next)
		if(n->hash == hash && strcmp(n->name, zone) == 0) {
			if((time_t)(intptr_t)n->value < t) {
				n->value = (void*)(intptr_t)t;
				h->dirty = 1;
			}
			return;
		}
	if(h->zones.count >= ATA_HISTORY_MAX)
		return;
	if(ata_nametab_put(&h->zones, zone, (void*)(intptr_t)t) == 0)
		h->dirty = 1;
}

void
ata_history_secure(struct ata_history* h, const char* qname, time_t now,
	int levels)
{
	const char* dots[ATA_HISTORY_LABELS + 1];
	size_t len = strlen(qname);
	int n = 0, i;
	const char* p;
	if(len < 2 || qname[len - 1] != '.')
		return;
	/* the starts of the rightmost labels, TLD first */
	if(levels > ATA_HISTORY_LABELS)
		levels = ATA_HISTORY_LABELS;
	for(p = qname + len - 1; p > qname && n < levels; ) {
		p--;
		while(p > qname && p[-1] != '.')
			p--;
		dots[n++] = p;
	}
	for(i = 0; i < n; i++)
		set_time(h, dots[i], now);
}

time_t
ata_history_last_secure(const struct ata_history* h, const char* zone)
{
	return (time_t)(intptr_t)ata_nametab_get(&h->zones, zone);
}

static int
newer_than(const char* name, void* value, void* arg)
{
	(void)name;
	return (time_t)(intptr_t)value >= *(time_t*)arg;
}

void
ata_history_expire(struct ata_history* h, time_t cutoff)
{
	size_t before = h->zones.count;
	ata_nametab_filter(&h->zones, newer_than, &cutoff, NULL);
	if(h->zones.count != before)
		h->dirty = 1;
}

size_t
ata_history_count(const struct ata_history* h)
{
	return h->zones.count;
}

int
ata_history_parse(struct ata_history* h, const char* text, size_t len,
	json_t** extra, char* err, size_t errlen)
{
	json_error_t je;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je), *hist,
		*v, *list, *mode;
	const char* zone;
	char norm[256];
	if(!root) {
		snprintf(err, errlen, "line %d: %s", je.line, je.text);
		return -1;
	}
	if(!json_is_object(root) || json_integer_value(json_object_get(root,
		"version")) != 1 || !json_is_object(hist = json_object_get(root,
		"history"))) {
		snprintf(err, errlen, "not an autonta state file (version 1)");
		json_decref(root);
		return -1;
	}
	if((list = json_object_get(root, "ntas")) && !json_is_array(list)) {
		snprintf(err, errlen, "\"ntas\" is not an array");
		json_decref(root);
		return -1;
	}
	if((mode = json_object_get(root, "mode")) && !json_is_object(mode)) {
		snprintf(err, errlen, "\"mode\" is not an object");
		json_decref(root);
		return -1;
	}
	json_object_foreach(hist, zone, v) {
		json_int_t t = json_integer_value(v);
		if(!json_is_integer(v) || t <= 0 || t > INT32_MAX * 4LL) {
			snprintf(err, errlen, "bad time for %.64s", zone);
			json_decref(root);
			return -1;
		}
		if(ata_name_normalize(zone, norm, sizeof(norm)) != 0) {
			snprintf(err, errlen, "not a zone name: %.64s", zone);
			json_decref(root);
			return -1;
		}
		set_time(h, norm, (time_t)t);
	}
	if(extra) {
		*extra = json_pack("{sO*sO*}", "ntas", list, "mode", mode);
		if(*extra && !list)
			json_object_set_new(*extra, "ntas", json_array());
	}
	json_decref(root);
	return 0;
}

int
ata_history_load(struct ata_history* h, const char* path, json_t** extra,
	char* err, size_t errlen)
{
	FILE* f = ata_fopen_regular(path, err, errlen);
	struct stat st;
	char* buf;
	size_t n;
	int r;
	if(!f) {
		if(errno == ENOENT) {
			if(extra)
				*extra = json_pack("{s[]}", "ntas");
			return 0;
		}
		return -1;
	}
	if(fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)
		|| st.st_size > ATA_HISTORY_FILE_MAX) {
		snprintf(err, errlen, "%s is not a regular file of at most "
			"%d bytes", path, ATA_HISTORY_FILE_MAX);
		fclose(f);
		return -1;
	}
	if(!(buf = malloc((size_t)st.st_size + 1))) {
		fclose(f);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	n = fread(buf, 1, (size_t)st.st_size, f);
	fclose(f);
	r = ata_history_parse(h, buf, n, extra, err, errlen);
	free(buf);
	h->dirty = 0;
	return r;
}

static void
put_json(const char* name, void* value, void* arg)
{
	json_object_set_new(arg, name, json_integer((json_int_t)(intptr_t)
		value));
}

int
ata_history_save(struct ata_history* h, const char* path, json_t* extra,
	char* err, size_t errlen)
{
	json_t *root = json_object(), *hist = json_object();
	char tmp[4200];
	int fd = -1;
	char* text;
	size_t len;
	if(!root || !hist) {
		json_decref(root);
		json_decref(hist);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ata_nametab_foreach(&h->zones, put_json, hist);
	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "history", hist);
	if(extra)
		json_object_update(root, extra);
	text = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(root);
	if(!text) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	len = strlen(text);
	if((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)
		|| (fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			0640)) < 0
		|| write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1
		|| fsync(fd) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", tmp,
			strerror(errno));
		if(fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(text);
		return -1;
	}
	free(text);
	close(fd);
	if(rename(tmp, path) != 0) {
		snprintf(err, errlen, "cannot rename %s to %s: %s", tmp, path,
			strerror(errno));
		unlink(tmp);
		return -1;
	}
	h->dirty = 0;
	return 0;
}
