/* replay.c — runs saved fuzzer inputs through a target's entry point, without libFuzzer. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

/* replay FILE...: each file runs in a child process with a time limit, so a crash,
 * an abort or a hang in one input is reported as a failure of this run (exit 1)
 * instead of killing the test runner.  Exit 0 only if every input ran cleanly. */

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define REPLAY_SECONDS 60

static int
run_one (const char *path)
{
  FILE *f = fopen (path, "rb");
  uint8_t *buf = NULL;
  size_t len = 0, cap = 0;

  if (f == NULL)
    {
      fprintf (stderr, "%s: %s\n", path, strerror (errno));
      return 1;
    }
  for (;;)
    {
      size_t n;

      if (len == cap)
        {
          cap = cap ? cap * 2 : 4096;
          buf = realloc (buf, cap);
          if (buf == NULL)
            abort ();
        }
      n = fread (buf + len, 1, cap - len, f);
      if (n == 0)
        break;
      len += n;
    }
  fclose (f);
  LLVMFuzzerTestOneInput (buf, len);
  free (buf);
  return 0;
}

int
main (int argc, char **argv)
{
  int failures = 0;

  for (int i = 1; i < argc; i++)
    {
      int status;
      pid_t pid;

      fflush (NULL);
      pid = fork ();
      if (pid < 0)
        {
          perror ("fork");
          return 1;
        }
      if (pid == 0)
        {
          alarm (REPLAY_SECONDS);
          _exit (run_one (argv[i]));
        }
      if (waitpid (pid, &status, 0) < 0)
        {
          perror ("waitpid");
          return 1;
        }
      if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
        printf ("ok      %s\n", argv[i]);
      else
        {
          failures++;
          if (WIFSIGNALED (status))
            printf ("FAILED  %s: %s%s\n", argv[i], strsignal (WTERMSIG (status)),
                    WTERMSIG (status) == SIGALRM ? " (hang)" : "");
          else
            printf ("FAILED  %s: exit status %d\n", argv[i], WEXITSTATUS (status));
        }
    }
  return failures ? 1 : 0;
}
