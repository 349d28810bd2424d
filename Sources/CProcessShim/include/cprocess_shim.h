#ifndef CPROCESS_SHIM_H
#define CPROCESS_SHIM_H
/// Asks the kernel to send `sig` to this process when its parent dies (Linux; 0 elsewhere).
/// Returns 0 on success, -1 on failure.
int winnow_set_parent_death_signal(int sig);
/// The process environment (`environ`), which Swift 6 cannot read safely as a global.
char **winnow_environ(void);
#endif
