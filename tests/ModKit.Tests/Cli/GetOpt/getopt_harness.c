/*
 * Differential-test harness: runs glibc's getopt_long over one argument vector
 * and prints a transcript that GetOptHarnessTests compares with GetOptParser's.
 *
 * usage: getopt_harness LONGSPEC OPTSTRING ARGV0 [ARGS...]
 *   LONGSPEC  comma-separated "name/has_arg/value" entries (value in decimal),
 *             e.g. "author/0/97,field/1/70"; empty for an empty table.
 *
 * stderr is joined to stdout (both unbuffered), so glibc's diagnostics appear
 * in the transcript exactly where the call that printed them happened.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct option *parse_longspec(const char *spec)
{
	size_t n = 0, i = 0;
	struct option *opts;
	char *copy, *save = NULL, *entry;

	for (const char *p = spec; *p; p++)
		if (*p == ',')
			n++;
	n += 2;

	opts = calloc(n, sizeof(*opts));
	copy = strdup(spec);
	if (opts == NULL || copy == NULL)
		exit(99);

	for (entry = strtok_r(copy, ",", &save); entry != NULL;
	     entry = strtok_r(NULL, ",", &save)) {
		char *has_arg = strchr(entry, '/');
		char *val = has_arg ? strchr(has_arg + 1, '/') : NULL;

		if (val == NULL)
			exit(98);
		*has_arg++ = '\0';
		*val++ = '\0';
		opts[i].name = entry;
		opts[i].has_arg = atoi(has_arg);
		opts[i].flag = NULL;
		opts[i].val = atoi(val);
		i++;
	}
	return opts;
}

int main(int argc, char *argv[])
{
	struct option *longopts;
	const char *optstring;
	int c;

	if (argc < 4)
		return 97;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (dup2(STDOUT_FILENO, STDERR_FILENO) < 0)
		return 96;

	longopts = parse_longspec(argv[1]);
	optstring = argv[2];
	argc -= 3;
	argv += 3;

	for (;;) {
		int idx = -1;

		c = getopt_long(argc, argv, optstring, longopts, &idx);
		if (c == -1)
			break;
		printf("code=%d idx=%d arg=%s%s%s", c, idx,
		       optarg ? "[" : "", optarg ? optarg : "(null)",
		       optarg ? "]" : "");
		if (c == '?' || c == ':')
			printf(" optopt=%d", optopt);
		printf("\n");
	}

	printf("optind=%d\nargv:", optind);
	for (int i = 1; i < argc; i++)
		printf(" [%s]", argv[i]);
	printf("\n");
	return 0;
}
