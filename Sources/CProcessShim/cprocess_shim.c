#include "cprocess_shim.h"
#include <unistd.h>
extern char **environ;
char **winnow_environ(void) { return environ; }
#ifdef __linux__
#include <sys/prctl.h>
int winnow_set_parent_death_signal(int sig) { return prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0); }
#else
int winnow_set_parent_death_signal(int sig) { (void)sig; return 0; }
#endif
