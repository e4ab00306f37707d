/* kmod_set_log_fn's callback takes a va_list, which .NET cannot build: ModKit.Native passes each
 * message already formatted, and this shim hands it over as the single argument of "%s". */
#include <stdarg.h>
#include <stdio.h>

typedef void (*kmod_log_fn)(void *data, int priority, const char *file, int line, const char *fn,
                            const char *format, va_list args);

static void call_log(kmod_log_fn log, void *data, int priority, const char *file, int line,
                     const char *fn, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    log(data, priority, file, line, fn, format, args);
    va_end(args);
}

/* log == NULL: libkmod's default, "libkmod: FUNCTION: MESSAGE" on stderr. */
void modkit_log(void *log, void *data, int priority, const char *file, int line, const char *fn,
                const char *message)
{
    if (log == NULL)
        fprintf(stderr, "libkmod: %s: %s", fn, message);
    else
        call_log((kmod_log_fn)log, data, priority, file, line, fn, "%s", message);
}
