/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * autonta-control: the operator's tool for the autonta module. It sends
 * one request over autonta's control socket and prints the reply as a
 * table (or, with --json, as the JSON the module sent). check-config
 * works offline, with the module's own parser. See autonta-control(8).
 */
#include "cfgfile.h"
#include "ctlproto.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#ifndef AUTONTA_VERSION
#define AUTONTA_VERSION "unknown"
#endif

/** Exit codes (autonta-control(8), EXIT STATUS). */
enum {
	EXIT_OK = 0,		/**< done */
	EXIT_FAILED = 1,	/**< autonta refused or could not do it */
	EXIT_USAGE = 2,		/**< bad command line */
	EXIT_CONNECT = 3,	/**< no autonta at the socket */
	EXIT_PROTOCOL = 4	/**< no reply, or not one autonta sends */
};

#define DEFAULT_CONFIG "/etc/unbound/autonta.conf"
#define DEFAULT_TIMEOUT 15

static const char* prog = "autonta-control";

static void
usage(FILE* out)
{
	int i;
	fprintf(out, "usage: %s [-s SOCKET] [-c FILE] [--json] [-t SECONDS] "
		"COMMAND [ARG ...]\n"
		"       %s check-config FILE\n\n"
		"Commands:\n", prog, prog);
	for(i = 0; i < ATA_CTL_NCMDS; i++) {
		const struct ata_ctl_command* c = ata_ctl_command(i);
		char head[64];
		snprintf(head, sizeof(head), "%s %s", c->name, c->args);
		fprintf(out, "  %-32s %s\n", head, c->help);
	}
	fprintf(out, "  %-32s %s\n", "check-config FILE",
		"check an autonta.conf (offline) and print it normalised");
	fprintf(out, "\nOptions:\n"
		"  -s, --socket SOCKET   the control socket (default: the "
		"control-socket\n"
		"                        of the configuration file)\n"
		"  -c, --config FILE     autonta.conf to read control-socket "
		"from (default:\n"
		"                        $AUTONTA_CONF, else " DEFAULT_CONFIG
		")\n"
		"  -j, --json            print the reply as JSON, one line\n"
		"  -t, --timeout SECONDS wait this long for the reply "
		"(default: %d)\n"
		"  -l, --lifetime D      add: the NTA's lifetime (90, 15m, 2h, "
		"1d)\n"
		"  -h, --help            this text\n"
		"  -V, --version         the version\n\n"
		"Exit status: 0 done, 1 autonta refused or failed, 2 usage, "
		"3 cannot connect,\n4 no valid reply. See autonta-control(8).\n",
		DEFAULT_TIMEOUT);
}

static int
die_usage(const char* fmt, const char* arg)
{
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(%s --help for usage)\n", prog);
	return EXIT_USAGE;
}

/** check-config FILE: 0 when valid (printed normalised), 1 if not. */
static int
check_config(const char* path)
{
	char err[1200];
	struct ata_config* cfg = ata_config_load(path, err, sizeof(err));
	if(!cfg) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return EXIT_FAILED;
	}
	printf("# %s: valid; the effective configuration:\n", path);
	ata_config_print(cfg, stdout);
	ata_config_delete(cfg);
	return EXIT_OK;
}

/**
 * The socket to use: -s, else the control-socket of the configuration
 * file (-c, $AUTONTA_CONF, the default file if it exists), else the
 * built-in default. NULL (after a message, *rc set) when the file is bad
 * or sets no socket.
 */
static char*
socket_path(const char* sock, const char* conf, int* rc)
{
	struct ata_config* cfg;
	struct stat st;
	char err[1200], *p;
	if(sock)
		return strdup(sock);
	if(!conf && (conf = getenv(ATA_CONFIG_ENV)) && !*conf)
		conf = NULL;
	if(!conf && stat(DEFAULT_CONFIG, &st) == 0)
		conf = DEFAULT_CONFIG;
	cfg = conf ? ata_config_load(conf, err, sizeof(err)) : ata_config_new();
	if(!cfg) {
		fprintf(stderr, "%s: %s\n", prog, conf ? err : "out of memory");
		*rc = EXIT_USAGE;
		return NULL;
	}
	if(!cfg->control_socket[0]) {
		fprintf(stderr, "%s: %s sets no control-socket\n", prog,
			conf ? conf : "the default configuration");
		ata_config_delete(cfg);
		*rc = EXIT_CONNECT;
		return NULL;
	}
	p = strdup(cfg->control_socket);
	ata_config_delete(cfg);
	return p;
}

/**
 * Send the request and read the reply line.
 * @return the reply (malloc'ed), or NULL with *rc set.
 */
static char*
transact(const char* path, const char* request, int timeout, int* rc)
{
	struct sockaddr_un sun;
	size_t len = 0, cap = 4096;
	char* buf;
	int fd, deadline = (int)time(NULL) + timeout;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if(strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "%s: socket path too long: %s\n", prog, path);
		*rc = EXIT_USAGE;
		return NULL;
	}
	strcpy(sun.sun_path, path);
	if((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0
		|| connect(fd, (struct sockaddr*)&sun, sizeof(sun)) != 0) {
		fprintf(stderr, "%s: cannot connect to %s: %s (is Unbound "
			"running with autonta and control-socket set?)\n", prog,
			path, strerror(errno));
		if(fd >= 0)
			close(fd);
		*rc = EXIT_CONNECT;
		return NULL;
	}
	if(write(fd, request, strlen(request)) != (ssize_t)strlen(request)) {
		fprintf(stderr, "%s: cannot send the request: %s\n", prog,
			strerror(errno));
		close(fd);
		*rc = EXIT_PROTOCOL;
		return NULL;
	}
	if(!(buf = malloc(cap))) {
		close(fd);
		*rc = EXIT_FAILED;
		return NULL;
	}
	for(;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		int left = deadline - (int)time(NULL);
		ssize_t n;
		if(left <= 0 || poll(&p, 1, left * 1000) <= 0) {
			fprintf(stderr, "%s: no reply within %d s\n", prog,
				timeout);
			break;
		}
		if(len + 1 >= cap) {
			char* b;
			if(cap >= 16 * 1024 * 1024 || !(b = realloc(buf,
				cap * 2)))
				break;
			buf = b;
			cap *= 2;
		}
		if((n = read(fd, buf + len, cap - len - 1)) <= 0) {
			if(n < 0)
				fprintf(stderr, "%s: %s\n", prog,
					strerror(errno));
			break;
		}
		len += (size_t)n;
		if(memchr(buf, '\n', len)) {
			close(fd);
			buf[len] = 0;
			*strchr(buf, '\n') = 0;
			return buf;
		}
	}
	if(len == 0)
		fprintf(stderr, "%s: the connection closed without a reply\n",
			prog);
	else
		fprintf(stderr, "%s: an incomplete reply\n", prog);
	close(fd);
	free(buf);
	*rc = EXIT_PROTOCOL;
	return NULL;
}

/* ---- human-readable output ---------------------------------------- */

static const char*
str(const json_t* obj, const char* key)
{
	const char* s = json_string_value(json_object_get(obj, key));
	return s ? s : "-";
}

/** "1d02h", "3h05m", "4m12s", "9s", or "-". */
static const char*
dur(const json_t* v, char* buf, size_t len)
{
	json_int_t s = json_integer_value(v);
	if(!json_is_integer(v))
		return "-";
	if(s >= 86400)
		snprintf(buf, len, "%lldd%02lldh", (long long)s / 86400,
			(long long)(s % 86400) / 3600);
	else if(s >= 3600)
		snprintf(buf, len, "%lldh%02lldm", (long long)s / 3600,
			(long long)(s % 3600) / 60);
	else if(s >= 60)
		snprintf(buf, len, "%lldm%02llds", (long long)s / 60,
			(long long)s % 60);
	else
		snprintf(buf, len, "%llds", (long long)s);
	return buf;
}

/** A one-line summary of list's evidence object. */
static void
evidence_text(const json_t* e, char* buf, size_t len)
{
	const json_t* m = json_object_get(e, "manual");
	int o = 0;
	if(m) {
		snprintf(buf, len, "manual (uid %lld)", (long long)
			json_integer_value(json_object_get(m, "uid")));
		return;
	}
	if(json_is_integer(json_object_get(e, "bogus")))
		o = snprintf(buf, len, "%lld/%lld bogus, %lld children",
			(long long)json_integer_value(json_object_get(e,
			"bogus")), (long long)json_integer_value(
			json_object_get(e, "total")), (long long)
			json_integer_value(json_object_get(e,
			"distinct_children")));
	if(json_is_integer(json_object_get(e, "servers")) && o >= 0
		&& (size_t)o < len)
		snprintf(buf + o, len - (size_t)o, "%s%lld/%lld servers bogus"
			"%s", o ? "; " : "", (long long)json_integer_value(
			json_object_get(e, "servers_bogus")), (long long)
			json_integer_value(json_object_get(e, "servers")),
			json_is_true(json_object_get(e, "dnskey_matches_ds"))
			? "" : ", no DNSKEY matches the DS");
	if(o == 0 && !json_is_integer(json_object_get(e, "servers")))
		snprintf(buf, len, "-");
}

static void
print_list(const json_t* r)
{
	const json_t *ntas = json_object_get(r, "ntas"), *n;
	size_t i;
	if(json_array_size(ntas) == 0) {
		printf("no NTAs\n");
		return;
	}
	printf("%-24s %-17s %-7s %-7s %-9s %-16s %s\n", "ZONE", "STATE",
		"OWNER", "AGE", "REMAINING", "LAST RECHECK", "EVIDENCE");
	json_array_foreach(ntas, i, n) {
		char a[32], b[32], ev[200], rc[40];
		const json_t* lr = json_object_get(n, "last_recheck");
		snprintf(rc, sizeof(rc), "%s", json_is_object(lr)
			? str(lr, "result") : "-");
		evidence_text(json_object_get(n, "evidence"), ev, sizeof(ev));
		printf("%-24s %-17s %-7s %-7s %-9s %-16s %s\n", str(n, "zone"),
			str(n, "state"), str(n, "owner"),
			dur(json_object_get(n, "age_s"), a, sizeof(a)),
			dur(json_object_get(n, "remaining_s"), b, sizeof(b)),
			rc, ev);
		if(json_object_get(n, "id"))
			printf("%-24s   recommendation %s, approve by %s\n", "",
				str(n, "id"), str(n, "approve_by"));
	}
}

/** key: value lines of an object's scalar members (nested: JSON). */
static void
print_fields(const json_t* obj, const char* indent, const char* const* skip)
{
	const char* key;
	json_t* v;
	json_object_foreach((json_t*)obj, key, v) {
		const char* const* s;
		char* text;
		for(s = skip; s && *s; s++)
			if(strcmp(*s, key) == 0)
				break;
		if(s && *s)
			continue;
		if(json_is_string(v))
			printf("%s%-20s %s\n", indent, key, json_string_value(v));
		else if((text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT))) {
			printf("%s%-20s %s\n", indent, key, text);
			free(text);
		}
	}
}

static void
print_show(const json_t* r)
{
	static const char* const skip[] = { "evidence", NULL };
	const json_t *n = json_object_get(r, "nta"),
		*events = json_object_get(r, "events"), *e;
	char* text;
	size_t i;
	printf("zone                 %s\n", str(r, "zone"));
	printf("unbound anchor       %s\n", str(r, "unbound_anchor"));
	printf("last secure answer   %s\n", str(r, "last_secure"));
	if(!json_is_object(n))
		printf("autonta NTA          none\n");
	else {
		printf("autonta NTA:\n");
		print_fields(n, "  ", skip);
		if((text = json_dumps(json_object_get(n, "evidence"),
			JSON_INDENT(2) | JSON_SORT_KEYS))) {
			printf("  evidence:\n");
			for(char* l = strtok(text, "\n"); l; l = strtok(NULL,
				"\n"))
				printf("    %s\n", l);
			free(text);
		}
	}
	printf("recent events        %zu\n", json_array_size(events));
	json_array_foreach(events, i, e) {
		json_t* rest = json_deep_copy(e);
		json_object_del(rest, "schema");
		json_object_del(rest, "time");
		json_object_del(rest, "event");
		json_object_del(rest, "seq");
		json_object_del(rest, "zone");
		text = json_dumps(rest, JSON_COMPACT);
		printf("  %s %-26s %.300s\n", str(e, "time"), str(e, "event"),
			text ? text : "");
		free(text);
		json_decref(rest);
	}
}

static void
print_reply(enum ata_ctl_cmd cmd, const json_t* r)
{
	static const char* const skip[] = { "version", "ok", "command", NULL };
	char buf[32], ev[200];
	const json_t* n;
	switch(cmd) {
	case ATA_CTL_LIST:
		print_list(r);
		return;
	case ATA_CTL_SHOW:
		print_show(r);
		return;
	case ATA_CTL_ADD:
	case ATA_CTL_APPROVE:
		n = json_object_get(r, "nta");
		evidence_text(json_object_get(n, "evidence"), ev, sizeof(ev));
		printf("%s: NTA in force until %s (%s); %s\n", str(n, "zone"),
			str(n, "expires"), dur(json_object_get(n,
			"remaining_s"), buf, sizeof(buf)), ev);
		return;
	case ATA_CTL_REMOVE:
		printf("removed\n");
		return;
	case ATA_CTL_REJECT:
		printf("rejected\n");
		return;
	case ATA_CTL_MODE:
		printf("mode %s (was %s)\n", str(r, "mode"), str(r, "from"));
		return;
	case ATA_CTL_REOPEN_LOG:
		printf("log reopened\n");
		return;
	default:
		print_fields(r, "", skip);
		return;
	}
}

int
main(int argc, char** argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "config", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, 't' },
		{ "lifetime", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *sock = NULL, *conf = NULL, *lifetime = NULL, *code;
	char request[ATA_CTL_MAX_LINE + 2], err[512], *path, *line;
	struct ata_ctl_request req;
	unsigned secs;
	int json = 0, timeout = DEFAULT_TIMEOUT, c, i, rc = EXIT_OK;
	size_t o;
	json_t* r;
	json_error_t je;

	while((c = getopt_long(argc, argv, "s:c:jt:l:hV", longopts, NULL))
		!= -1) {
		switch(c) {
		case 's': sock = optarg; break;
		case 'c': conf = optarg; break;
		case 'j': json = 1; break;
		case 'l': lifetime = optarg; break;
		case 't':
			if(ata_ctl_parse_duration(optarg, &secs) != 0
				|| secs == 0 || secs > 3600)
				return die_usage("bad --timeout '%s'", optarg);
			timeout = (int)secs;
			break;
		case 'h': usage(stdout); return EXIT_OK;
		case 'V': printf("autonta-control %s\n", AUTONTA_VERSION);
			return EXIT_OK;
		default: return die_usage("%s", "bad option");
		}
	}
	if(optind >= argc)
		return die_usage("%s", "no command");
	if(strcmp(argv[optind], "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if(strcmp(argv[optind], "check-config") == 0) {
		if(argc - optind != 2)
			return die_usage("%s", "usage: check-config FILE");
		return check_config(argv[optind + 1]);
	}
	/* the request line, checked here as the module will check it */
	o = (size_t)snprintf(request, sizeof(request), "%s%d", ATA_CTL_MAGIC,
		ATA_CTL_VERSION);
	for(i = optind; i < argc && o < sizeof(request); i++)
		o += (size_t)snprintf(request + o, sizeof(request) - o, " %s",
			argv[i]);
	if(lifetime && o < sizeof(request))
		o += (size_t)snprintf(request + o, sizeof(request) - o, " %s",
			lifetime);
	if(o >= sizeof(request) - 1)
		return die_usage("%s", "command line too long");
	if(ata_ctl_parse(request, &req, err, sizeof(err), &code) != 0)
		return die_usage("%s", err);
	if(lifetime && req.cmd != ATA_CTL_ADD)
		return die_usage("%s", "--lifetime goes with add only");
	strcat(request, "\n");
	if(!(path = socket_path(sock, conf, &rc)))
		return rc;
	line = transact(path, request, timeout, &rc);
	free(path);
	if(!line)
		return rc;
	r = json_loads(line, 0, &je);
	if(!json_is_object(r) || !json_is_boolean(json_object_get(r, "ok"))
		|| json_integer_value(json_object_get(r, "version"))
		!= ATA_CTL_VERSION) {
		fprintf(stderr, "%s: not an autonta reply: %.200s\n", prog,
			line);
		json_decref(r);
		free(line);
		return EXIT_PROTOCOL;
	}
	if(json)
		printf("%s\n", line);
	if(!json_is_true(json_object_get(r, "ok"))) {
		if(!json)
			fprintf(stderr, "%s: %s (%s)\n", prog, str(r, "error"),
				str(r, "code"));
		/* a request autonta found malformed is a bad command line */
		rc = strcmp(str(r, "code"), "usage") == 0 ? EXIT_USAGE
			: EXIT_FAILED;
	} else if(!json)
		print_reply(req.cmd, r);
	json_decref(r);
	free(line);
	return rc;
}
